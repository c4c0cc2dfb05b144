import { Fragment, ReactNode } from 'react';

/** Details of a row in one line, " · " between those that are there. */
export function DotSeparated(props: { parts: ReactNode[] }) {
  const parts = props.parts.filter(
    part =>
      part !== undefined && part !== null && part !== false && part !== '',
  );
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && ' · '}
          {part}
        </Fragment>
      ))}
    </>
  );
}
