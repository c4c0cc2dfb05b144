import { CSSProperties } from 'react';
import { Theme } from '@material-ui/core/styles';
import { formatDateTime, formatTick } from '../../lib/time';

/*
 * recharts only recognises its own axis and tooltip elements as a chart's children, so
 * shared settings are props to spread rather than wrapper components.
 */

/**
 * A time x-axis over numeric `time` (epoch ms), in the theme's text colour. Ticks are clock
 * times, dated when the axis spans days (`scale.spanMs`), or dates for daily buckets.
 */
export function timeAxisProps(
  theme: Theme,
  scale: { spanMs: number; hourly: boolean },
) {
  return {
    dataKey: 'time',
    type: 'number' as const,
    scale: 'time' as const,
    domain: ['dataMin', 'dataMax'],
    tickFormatter: (time: number) => formatTick(time, scale),
    stroke: theme.palette.text.secondary,
  };
}

/**
 * A tooltip that reads its `time` label as a moment in the reader's zone and sits on the
 * theme's paper, in the theme's font (recharts' own falls back to the browser's serif).
 */
export function tooltipProps(theme: Theme): {
  labelFormatter: (time: number) => string;
  contentStyle: CSSProperties;
} {
  return {
    labelFormatter: (time: number) => formatDateTime(time),
    contentStyle: {
      background: theme.palette.background.paper,
      color: theme.palette.text.primary,
      fontFamily: theme.typography.fontFamily,
      fontSize: theme.typography.body2.fontSize as CSSProperties['fontSize'],
    },
  };
}
