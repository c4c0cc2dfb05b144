import { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/**
 * A chart that takes the width of its parent, announced to screen readers by `label`
 * (recharts' SVG has no accessible name of its own). A chart people interact with (brush,
 * clickable points) is a `figure`, since an `img` hides what is inside it.
 */
export function ChartFrame(props: {
  label: string;
  height: number;
  role?: 'img' | 'figure';
  children: ReactElement;
}) {
  return (
    <div
      role={props.role ?? 'img'}
      aria-label={props.label}
      style={{ width: '100%', height: props.height }}
    >
      <ResponsiveContainer width="100%" height="100%">
        {props.children}
      </ResponsiveContainer>
    </div>
  );
}
