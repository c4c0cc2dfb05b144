import { useTheme } from '@material-ui/core/styles';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatCount } from '../../lib/format';
import { ChartFrame, timeAxisProps, tooltipProps } from '../shared';
import { TrendDay } from './loadTrend';

const SERIES_NAMES: Record<'errors' | 'deploys' | 'incidents', string> = {
  errors: 'Errors',
  deploys: 'Deploys',
  incidents: 'Incidents',
};

/**
 * A team's or system's figures day by day: errors as a line against the left axis, deploys
 * and incidents as bars against the right one (a few a day, where errors run to thousands).
 */
export function TrendChart(props: { days: TrendDay[]; label: string }) {
  const { days } = props;
  const theme = useTheme();
  const spanMs =
    days.length > 1 ? days[days.length - 1].time - days[0].time : 0;
  const totals = days.reduce(
    (sum, d) => ({
      errors: sum.errors + d.errors,
      deploys: sum.deploys + d.deploys,
      incidents: sum.incidents + d.incidents,
    }),
    { errors: 0, deploys: 0, incidents: 0 },
  );
  const label = `${props.label}: ${formatCount(
    totals.errors,
  )} errors, ${formatCount(totals.deploys)} deploys and ${formatCount(
    totals.incidents,
  )} incidents over ${days.length} days`;
  const axisLabel = (value: string, side: 'insideLeft' | 'insideRight') => ({
    value,
    angle: -90,
    position: side,
    fill: theme.palette.text.secondary,
    fontSize: 12,
    style: { textAnchor: 'middle' },
  });
  return (
    <ChartFrame label={label} height={260}>
      <ComposedChart
        data={days}
        margin={{ top: 8, right: 8, bottom: 0, left: 8 }}
      >
        <CartesianGrid stroke={theme.palette.divider} strokeDasharray="3 3" />
        <XAxis {...timeAxisProps(theme, { spanMs, hourly: false })} />
        <YAxis
          yAxisId="errors"
          allowDecimals={false}
          width={64}
          stroke={theme.palette.text.secondary}
          label={axisLabel('errors / day', 'insideLeft')}
        />
        <YAxis
          yAxisId="count"
          orientation="right"
          allowDecimals={false}
          width={56}
          stroke={theme.palette.text.secondary}
          label={axisLabel('deploys, incidents / day', 'insideRight')}
        />
        <Tooltip
          {...tooltipProps(theme)}
          formatter={(value: number, name: string) => [
            formatCount(value),
            name,
          ]}
        />
        <Legend wrapperStyle={{ fontFamily: theme.typography.fontFamily }} />
        <Bar
          yAxisId="count"
          dataKey="deploys"
          name={SERIES_NAMES.deploys}
          fill={theme.palette.info.main}
          isAnimationActive={false}
        />
        <Bar
          yAxisId="count"
          dataKey="incidents"
          name={SERIES_NAMES.incidents}
          fill={theme.palette.secondary.main}
          isAnimationActive={false}
        />
        <Line
          yAxisId="errors"
          type="monotone"
          dataKey="errors"
          name={SERIES_NAMES.errors}
          stroke={theme.palette.error.main}
          dot={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFrame>
  );
}
