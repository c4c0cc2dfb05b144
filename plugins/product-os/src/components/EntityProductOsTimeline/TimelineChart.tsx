import { RefObject, useEffect, useMemo, useRef } from 'react';
import { useTheme } from '@material-ui/core/styles';
import {
  Brush,
  Cell,
  ComposedChart,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFrame, timeAxisProps } from '../shared';
import { formatDateTime, formatTick } from '../../lib/time';
import { TYPE_LABELS } from '../../lib/labels';
import { entityName } from '../../lib/caseLines';
import { LANES, TimelineRow } from './lanes';

/** The slice of rows the brush selects, as indexes into the rows. */
export interface TimelineRange {
  startIndex: number;
  endIndex: number;
}

function RowTooltip(props: {
  active?: boolean;
  payload?: Array<{ payload: TimelineRow }>;
}) {
  const theme = useTheme();
  const row = props.active ? props.payload?.[0]?.payload : undefined;
  if (!row) return null;
  return (
    <div
      style={{
        background: theme.palette.background.paper,
        color: theme.palette.text.primary,
        border: `1px solid ${theme.palette.divider}`,
        padding: theme.spacing(1),
        fontFamily: theme.typography.fontFamily,
        fontSize: theme.typography.body2.fontSize,
      }}
    >
      <strong>{TYPE_LABELS[row.item.type]}</strong> {row.item.title}
      {row.entityRef && (
        <>
          <br />
          {entityName(row.entityRef)}
        </>
      )}
      <br />
      {formatDateTime(row.item.time)}
    </div>
  );
}

const KIND_LANES = LANES.map(lane => lane.label);

/**
 * Every item on one time axis, a lane per kind (or per entity, with `lanes`), each point in
 * its kind's colour; the brush under the axis zooms into a stretch of time. Clicking a point
 * opens its detail.
 */
export function TimelineChart(props: {
  rows: TimelineRow[];
  label: string;
  /** The lanes' names, top to bottom; the kinds' unless given. */
  lanes?: string[];
  onRangeChange: (range: TimelineRange) => void;
  onOpen: (row: TimelineRow) => void;
}) {
  const { rows, onRangeChange, onOpen } = props;
  const lanes = props.lanes ?? KIND_LANES;
  const theme = useTheme();
  const spanMs =
    rows.length > 1 ? rows[rows.length - 1].time - rows[0].time : 0;
  const scale = { spanMs, hourly: spanMs < 3 * 24 * 3600 * 1000 };
  // `name` is what the brush's handles announce ("Min value: Dec 2, 8:45 AM GMT+1, …").
  const data = useMemo(
    () => rows.map(row => ({ ...row, name: formatDateTime(row.time) })),
    [rows],
  );
  const frame = useRef<HTMLDivElement>(null);
  usePointLabels(frame, rows);

  return (
    <div ref={frame}>
      <ChartFrame label={props.label} height={280} role="figure">
        <ComposedChart
          data={data}
          margin={{ top: 8, right: 16, bottom: 8, left: 16 }}
        >
          <XAxis {...timeAxisProps(theme, scale)} />
          <YAxis
            dataKey="lane"
            type="number"
            domain={[-0.5, lanes.length - 0.5]}
            ticks={lanes.map((_lane, index) => index)}
            interval={0}
            tickFormatter={index => lanes[index] ?? ''}
            reversed
            width={props.lanes ? 112 : 80}
            stroke={theme.palette.text.secondary}
          />
          <Tooltip
            content={<RowTooltip />}
            cursor={{ strokeDasharray: '3 3' }}
          />
          <Scatter
            name="Timeline"
            isAnimationActive={false}
            onClick={point => onOpen(point.payload as TimelineRow)}
            cursor="pointer"
          >
            {rows.map(row => (
              <Cell
                key={`${row.entityRef ?? ''}-${row.item.type}-${row.item.id}`}
                fill={theme.palette[row.color].main}
              />
            ))}
          </Scatter>
          {rows.length > 1 && (
            <Brush
              dataKey="time"
              height={24}
              stroke={theme.palette.primary.main}
              fill={theme.palette.background.paper}
              tickFormatter={time => formatTick(time, scale)}
              onChange={range => {
                if (
                  range.startIndex !== undefined &&
                  range.endIndex !== undefined
                ) {
                  onRangeChange({
                    startIndex: range.startIndex,
                    endIndex: range.endIndex,
                  });
                }
              }}
            />
          )}
        </ComposedChart>
      </ChartFrame>
    </div>
  );
}

/**
 * What a point says to a screen reader: "Deploy: Deploy main (70ca733), Dec 2, 8:44 AM GMT+1",
 * with its entity on a timeline of several: "Deploy (checkout-api): …".
 */
function pointLabel(row: TimelineRow): string {
  const of = row.entityRef ? ` (${entityName(row.entityRef)})` : '';
  return `${TYPE_LABELS[row.item.type]}${of}: ${
    row.item.title
  }, ${formatDateTime(row.time)}`;
}

/**
 * Names every point of the chart. recharts draws each as an SVG group with the role `img` and
 * no name, and renders them after it has measured its container, so the names are set whenever
 * the points are (re)drawn. The points are drawn in the order of the rows.
 */
function usePointLabels(frame: RefObject<HTMLDivElement>, rows: TimelineRow[]) {
  useEffect(() => {
    const root = frame.current;
    if (!root) return undefined;
    const label = () => {
      root
        .querySelectorAll<SVGElement>('.recharts-scatter-symbol')
        .forEach((point, index) => {
          const row = rows[index];
          if (row && point.getAttribute('aria-label') !== pointLabel(row)) {
            point.setAttribute('aria-label', pointLabel(row));
          }
        });
    };
    label();
    const observer = new MutationObserver(label);
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [frame, rows]);
}
