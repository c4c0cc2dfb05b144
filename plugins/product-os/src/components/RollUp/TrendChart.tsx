import { HealthDay, HealthInputName } from '@internal/plugin-product-os-common';
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

/** A day of the chart: the score and the counts of the inputs it draws as bars. */
interface TrendPoint {
  time: number;
  score: number;
  openIncidents: number;
  diagnosesNeedingHuman: number;
}

/** An input's value on a day; a roll-up's inputs are its members' sums. */
function inputValue(day: HealthDay, name: HealthInputName): number {
  return day.inputs.find(input => input.name === name)?.value ?? 0;
}

function round(score: number): number {
  return Math.round(score * 10) / 10;
}

/**
 * A team's or system's 90 days from its daily snapshots: the health score as a line against
 * the left axis (0 to 100), open incidents and diagnoses waiting for a person as bars against
 * the right one.
 */
export function TrendChart(props: { history: HealthDay[]; label: string }) {
  const theme = useTheme();
  const points: TrendPoint[] = props.history.map(day => ({
    time: Date.parse(day.day),
    score: round(day.score),
    openIncidents: inputValue(day, 'openIncidents'),
    diagnosesNeedingHuman: inputValue(day, 'diagnosesNeedingHuman'),
  }));
  const spanMs =
    points.length > 1 ? points[points.length - 1].time - points[0].time : 0;
  const first = points[0];
  const last = points[points.length - 1];
  const label = `${props.label}: health ${first.score} on the first of ${
    points.length
  } days, ${last.score} on the last; ${formatCount(
    last.openIncidents,
  )} open incidents and ${formatCount(
    last.diagnosesNeedingHuman,
  )} diagnoses waiting at the end`;
  const tick = {
    fill: theme.palette.text.secondary,
    fontFamily: theme.typography.fontFamily,
    fontSize: 12,
  };
  const axisLabel = (value: string, side: 'insideLeft' | 'insideRight') => ({
    value,
    angle: -90,
    position: side,
    fill: theme.palette.text.secondary,
    fontFamily: theme.typography.fontFamily,
    fontSize: 12,
    style: { textAnchor: 'middle' },
  });
  return (
    <ChartFrame label={label} height={260}>
      <ComposedChart
        data={points}
        margin={{ top: 8, right: 8, bottom: 0, left: 8 }}
      >
        <CartesianGrid stroke={theme.palette.divider} strokeDasharray="3 3" />
        <XAxis
          {...timeAxisProps(theme, { spanMs, hourly: false })}
          tick={tick}
        />
        <YAxis
          yAxisId="score"
          domain={[0, 100]}
          width={56}
          tick={tick}
          stroke={theme.palette.text.secondary}
          label={axisLabel('health score', 'insideLeft')}
        />
        <YAxis
          yAxisId="count"
          orientation="right"
          allowDecimals={false}
          width={56}
          tick={tick}
          stroke={theme.palette.text.secondary}
          label={axisLabel('open, per day', 'insideRight')}
        />
        <Tooltip {...tooltipProps(theme)} />
        <Legend wrapperStyle={{ fontFamily: theme.typography.fontFamily }} />
        <Bar
          yAxisId="count"
          dataKey="openIncidents"
          name="Open incidents"
          fill={theme.palette.secondary.main}
          isAnimationActive={false}
        />
        <Bar
          yAxisId="count"
          dataKey="diagnosesNeedingHuman"
          name="Diagnoses waiting"
          fill={theme.palette.warning.main}
          isAnimationActive={false}
        />
        <Line
          yAxisId="score"
          type="monotone"
          dataKey="score"
          name="Health"
          stroke={theme.palette.primary.main}
          dot={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFrame>
  );
}
