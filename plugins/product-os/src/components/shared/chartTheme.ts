import { Theme } from '@material-ui/core/styles';
import { formatDateTime, formatTick } from '../../lib/format';

/*
 * recharts only recognises its own axis and tooltip elements as a chart's children, so
 * shared settings are props to spread rather than wrapper components.
 */

/** A time x-axis over numeric `time` (epoch ms), ticks hourly or daily, in the theme's text colour. */
export function timeAxisProps(theme: Theme, hourly: boolean) {
  return {
    dataKey: 'time',
    type: 'number' as const,
    scale: 'time' as const,
    domain: ['dataMin', 'dataMax'],
    tickFormatter: (time: number) => formatTick(time, hourly),
    stroke: theme.palette.text.secondary,
  };
}

/** A tooltip that reads its `time` label as a date and sits on the theme's paper. */
export function tooltipProps(theme: Theme) {
  return {
    labelFormatter: (time: number) =>
      formatDateTime(new Date(time).toISOString()),
    contentStyle: {
      background: theme.palette.background.paper,
      color: theme.palette.text.primary,
    },
  };
}
