import { useState } from 'react';
import { ErrorTrend } from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  ChartFrame,
  timeAxisProps,
  tooltipProps,
  useToggleStyles,
} from '../shared';
import { clippedCeiling, labelledDeploys } from '../shared/deployLabels';
import { formatCount } from '../../lib/format';

/** Deploy labels closer than this share of the axis would print over each other. */
const LABEL_GAP_SHARE = 1 / 12;

type Scale = 'full' | 'clipped';

/**
 * Error events per bucket, with a vertical marker at every deployment. A spike flattens the
 * baseline next to it, so the reader may clip the axis above the usual volume.
 */
export function ErrorVolumeChart(props: { trend: ErrorTrend; label: string }) {
  const { trend } = props;
  const theme = useTheme();
  const [scale, setScale] = useState<Scale>('full');
  const toggle = useToggleStyles();
  const toggleClasses = { root: toggle.button, selected: toggle.selected };
  const hourly = trend.bucket === 'hour';
  const unit = `events / ${trend.bucket}`;
  const data = trend.points.map(point => ({
    time: Date.parse(point.time),
    events: point.value,
  }));
  const spanMs =
    data.length > 1 ? data[data.length - 1].time - data[0].time : 0;
  const deploys = trend.deploys.length;
  const ceiling = clippedCeiling(data.map(point => point.events));
  const clipped = scale === 'clipped' && ceiling !== undefined;
  const label = `${props.label}, ${deploys} ${
    deploys === 1 ? 'deploy' : 'deploys'
  } marked${clipped ? `, clipped at ${formatCount(ceiling)}` : ''}`;
  const labelled = labelledDeploys(
    trend.deploys.map(deploy => Date.parse(deploy.occurredAt)),
    spanMs * LABEL_GAP_SHARE,
  );
  const drawn = new Set<number>();

  return (
    <>
      {ceiling !== undefined && (
        <Box display="flex" alignItems="center" gridGap={8} mb={1}>
          <Typography variant="body2" component="span" id="error-scale-label">
            Scale
          </Typography>
          <ToggleButtonGroup
            size="small"
            exclusive
            value={scale}
            aria-labelledby="error-scale-label"
            onChange={(_event, next: Scale | null) => next && setScale(next)}
          >
            <ToggleButton
              value="full"
              classes={toggleClasses}
              focusVisibleClassName={toggle.focusVisible}
            >
              Whole range
            </ToggleButton>
            <ToggleButton
              value="clipped"
              classes={toggleClasses}
              focusVisibleClassName={toggle.focusVisible}
            >
              Clip spikes above {formatCount(ceiling)}
            </ToggleButton>
          </ToggleButtonGroup>
        </Box>
      )}
      <ChartFrame label={label} height={220}>
        <AreaChart
          data={data}
          margin={{ top: 16, right: 16, bottom: 0, left: 8 }}
        >
          <CartesianGrid stroke={theme.palette.divider} strokeDasharray="3 3" />
          <XAxis {...timeAxisProps(theme, { spanMs, hourly })} />
          <YAxis
            allowDecimals={false}
            width={56}
            stroke={theme.palette.text.secondary}
            domain={clipped ? [0, ceiling] : [0, 'auto']}
            allowDataOverflow={clipped}
            label={{
              value: unit,
              angle: -90,
              position: 'insideLeft',
              fill: theme.palette.text.secondary,
              fontSize: 12,
              style: { textAnchor: 'middle' },
            }}
          />
          <Tooltip
            {...tooltipProps(theme)}
            formatter={(value: number) => [formatCount(value), unit]}
          />
          <Area
            type="monotone"
            dataKey="events"
            name="Events"
            stroke={theme.palette.error.main}
            fill={theme.palette.error.light}
            fillOpacity={0.3}
            isAnimationActive={false}
          />
          {trend.deploys.map(deploy => {
            const time = Date.parse(deploy.occurredAt);
            // Two deploys in the same minute: the first carries the label.
            const hidden = drawn.has(time) ? undefined : labelled.get(time);
            drawn.add(time);
            const name = deploy.sha ? deploy.sha.slice(0, 7) : 'deploy';
            return (
              <ReferenceLine
                key={deploy.id}
                x={time}
                // A deploy after the last bucket's start (in the current hour) still gets its line.
                ifOverflow="extendDomain"
                stroke={theme.palette.info.main}
                strokeDasharray="4 2"
                label={
                  hidden !== undefined
                    ? {
                        value: hidden > 0 ? `${name} +${hidden}` : name,
                        position: 'top',
                        fill: theme.palette.text.secondary,
                        fontSize: 10,
                      }
                    : undefined
                }
              />
            );
          })}
        </AreaChart>
      </ChartFrame>
    </>
  );
}
