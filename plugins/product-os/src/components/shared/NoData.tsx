import { EmptyState } from '@backstage/core-components';

/** An honest "nothing here" that says what was looked for and where. */
export function NoData(props: { title: string; description: string }) {
  return (
    <EmptyState
      missing="data"
      title={props.title}
      description={props.description}
    />
  );
}
