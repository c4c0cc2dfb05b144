import { useTheme } from '@material-ui/core/styles';
import { Line, LineChart } from 'recharts';

/** A tiny line of counts, for a table cell. */
export function Sparkline(props: { values: number[]; label: string }) {
  const theme = useTheme();
  const data = props.values.map((value, index) => ({ index, value }));
  const peak = Math.max(0, ...props.values);
  const latest = props.values[props.values.length - 1] ?? 0;
  return (
    <span
      role="img"
      aria-label={`${props.label}: peak ${peak}, latest ${latest}`}
    >
      <LineChart width={96} height={24} data={data}>
        <Line
          type="monotone"
          dataKey="value"
          dot={false}
          strokeWidth={1.5}
          stroke={theme.palette.error.main}
          isAnimationActive={false}
        />
      </LineChart>
    </span>
  );
}
