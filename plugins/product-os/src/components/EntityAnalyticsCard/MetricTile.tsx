import {
  MetricSeries,
  TimeWindowName,
} from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame, tooltipProps, useStatusColours } from '../shared';
import { describeChange, formatCount } from '../../lib/format';
import { describePreviousWindow } from '../../lib/windows';

/** One PostHog metric: its total, the change against the previous window and its shape. */
export function MetricTile(props: {
  metric: MetricSeries;
  window: TimeWindowName;
}) {
  const { metric, window } = props;
  const theme = useTheme();
  const colours = useStatusColours();
  const change = describeChange(metric.total, metric.previousTotal);
  const fell = metric.total < metric.previousTotal;
  // Without a previous window there is no rise or fall to colour.
  let changeColour: string | undefined;
  if (metric.previousTotal > 0)
    changeColour = fell ? colours.bad : colours.good;
  const data = metric.points.map(point => ({
    time: Date.parse(point.time),
    events: point.value,
  }));

  return (
    <Box component="section" aria-label={metric.key} mb={2}>
      <Typography variant="subtitle2" component="h3">
        {metric.key}
      </Typography>
      <Box display="flex" alignItems="baseline" gridGap={8}>
        <Typography variant="h5" component="p">
          {formatCount(metric.total)}
        </Typography>
        <Typography variant="body2" style={{ color: changeColour }}>
          {metric.previousTotal > 0
            ? `${change} vs ${describePreviousWindow(window)}`
            : `no baseline yet: nothing in the ${describePreviousWindow(
                window,
              )}`}
        </Typography>
      </Box>
      <ChartFrame label={`${metric.key} events over time`} height={80}>
        <LineChart
          data={data}
          margin={{ top: 4, right: 4, bottom: 4, left: 4 }}
        >
          <XAxis
            dataKey="time"
            type="number"
            domain={['dataMin', 'dataMax']}
            hide
          />
          <YAxis hide domain={[0, 'auto']} />
          <Tooltip {...tooltipProps(theme)} />
          <Line
            type="monotone"
            dataKey="events"
            name="Events"
            dot={false}
            stroke={theme.palette.primary.main}
            isAnimationActive={false}
          />
        </LineChart>
      </ChartFrame>
    </Box>
  );
}
