import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { TimeWindowName } from '@internal/plugin-product-os-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { describeWindow } from '../../lib/windows';
import { RowLink, rowLinkOnThisTab } from './itemLink';
import { TimelineRow } from './lanes';
import { TimelineChart, TimelineRange } from './TimelineChart';
import { TimelineList } from './TimelineList';

/**
 * Opens a clicked point's detail: its row on this tab, a page of the portal (another entity's
 * tab), or its page at the source in a new tab.
 */
function openLink(href: string | undefined, navigate: (path: string) => void) {
  if (!href) return;
  if (href.startsWith('#')) {
    document
      .getElementById(href.slice(1))
      ?.scrollIntoView({ behavior: 'smooth' });
  } else if (href.startsWith('/')) {
    navigate(href);
  } else {
    window.open(href, '_blank', 'noopener');
  }
}

/** The chart and, under it, the list of the events in the stretch of time it is zoomed to. */
export function ZoomableTimeline(props: {
  rows: TimelineRow[];
  window: TimeWindowName;
  /** The lanes' names, when they are not the kinds (a system's components). */
  lanes?: string[];
  /** Where each row leads; its detail on this tab or at its source unless given. */
  linkOf?: RowLink;
}) {
  const { rows } = props;
  const linkOf = props.linkOf ?? rowLinkOnThisTab;
  const navigate = useNavigate();
  const [range, setRange] = useState<TimelineRange>();
  // Remounting the chart is how the brush goes back to the whole window.
  const [chartKey, setChartKey] = useState(0);
  const visible = useMemo(
    () => (range ? rows.slice(range.startIndex, range.endIndex + 1) : rows),
    [rows, range],
  );
  const zoomed = visible.length < rows.length;

  return (
    <>
      <TimelineChart
        key={chartKey}
        rows={rows}
        label={`Timeline of ${rows.length} events over the ${describeWindow(
          props.window,
        )}`}
        lanes={props.lanes}
        onRangeChange={setRange}
        onOpen={row => openLink(linkOf(row), navigate)}
      />
      <Typography variant="body2" color="textSecondary" component="div">
        {zoomed
          ? `Showing ${visible.length} of ${rows.length} events`
          : `${rows.length} events`}
        {zoomed && (
          <Button
            size="small"
            onClick={() => {
              setRange(undefined);
              setChartKey(key => key + 1);
            }}
          >
            Show all
          </Button>
        )}
      </Typography>
      <TimelineList rows={visible} linkOf={linkOf} />
    </>
  );
}
