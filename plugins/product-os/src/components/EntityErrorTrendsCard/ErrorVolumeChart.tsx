import { ErrorTrend } from '@internal/plugin-product-os-common';
import { useTheme } from '@material-ui/core/styles';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFrame, timeAxisProps, tooltipProps } from '../shared';

/** Error events per bucket, with a vertical marker at every deployment. */
export function ErrorVolumeChart(props: { trend: ErrorTrend; label: string }) {
  const { trend } = props;
  const theme = useTheme();
  const hourly = trend.bucket === 'hour';
  const data = trend.points.map(point => ({
    time: Date.parse(point.time),
    events: point.value,
  }));
  const deploys = trend.deploys.length;
  const label = `${props.label}, ${deploys} ${
    deploys === 1 ? 'deploy' : 'deploys'
  } marked`;

  return (
    <ChartFrame label={label} height={200}>
      <AreaChart
        data={data}
        margin={{ top: 16, right: 16, bottom: 0, left: 0 }}
      >
        <CartesianGrid stroke={theme.palette.divider} strokeDasharray="3 3" />
        <XAxis {...timeAxisProps(theme, hourly)} />
        <YAxis
          allowDecimals={false}
          width={40}
          stroke={theme.palette.text.secondary}
        />
        <Tooltip {...tooltipProps(theme)} />
        <Area
          type="monotone"
          dataKey="events"
          name="Events"
          stroke={theme.palette.error.main}
          fill={theme.palette.error.light}
          fillOpacity={0.3}
          isAnimationActive={false}
        />
        {trend.deploys.map(deploy => (
          <ReferenceLine
            key={deploy.id}
            x={Date.parse(deploy.occurredAt)}
            // A deploy after the last bucket's start (in the current hour) still gets its line.
            ifOverflow="extendDomain"
            stroke={theme.palette.info.main}
            strokeDasharray="4 2"
            label={{
              value: deploy.sha ? deploy.sha.slice(0, 7) : 'deploy',
              position: 'top',
              fill: theme.palette.text.secondary,
              fontSize: 10,
            }}
          />
        ))}
      </AreaChart>
    </ChartFrame>
  );
}
