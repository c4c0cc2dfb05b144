import {
  DoraBand,
  DoraFigures,
  DoraReport,
  DoraWindow,
} from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { useState } from 'react';
import { formatDuration, formatPercent } from '../../lib/format';
import { useToggleStyles } from '../shared';
import { Figure } from '../shared/Figure';

const BAND_LABELS: Record<DoraBand, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

function band(value: DoraBand | null): string | undefined {
  return value ? BAND_LABELS[value] : undefined;
}

/** A figure that may not have been measured: "—" and no band then. */
function measured<T>(value: T | null, show: (v: T) => string): string {
  return value === null ? '—' : show(value);
}

const perWeek = (f: DoraFigures) =>
  `${Math.round(f.deploymentFrequency * 10) / 10} / week`;
const leadTime = (f: DoraFigures) => measured(f.leadTimeMs, formatDuration);
const failureRate = (f: DoraFigures) =>
  measured(f.changeFailureRate, formatPercent);
const recovery = (f: DoraFigures) => measured(f.recoveryTimeMs, formatDuration);
const rework = (f: DoraFigures) => measured(f.reworkRate, formatPercent);

/** What the period before had: its figure, or that it had none to measure. */
function before(window: DoraWindow, previous: string): string {
  return previous === '—'
    ? `nothing to measure the ${window.days} days before`
    : `${previous} the ${window.days} days before`;
}

/** "High · 1.2 / week the 30 days before": the band, then the period before. */
function detail(window: DoraWindow, bandOf: DoraBand | null, previous: string) {
  return [band(bandOf), before(window, previous)].filter(Boolean).join(' · ');
}

/**
 * A team's or system's DORA figures over 7, 30 or 90 days (30 first), each with its DORA 2024
 * band and the period before it; the fifth, rework, has no band.
 */
export function DoraSummary(props: { report: DoraReport }) {
  const { windows } = props.report;
  const [days, setDays] = useState(30);
  const toggle = useToggleStyles();
  const window = windows.find(w => w.days === days) ?? windows[0];
  if (!window) return null;
  const { current, previous, bands } = window;
  return (
    <Box component="section" aria-label="DORA">
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={16}>
        <Typography variant="h6" component="h3">
          DORA, last {window.days} days
          {bands.overall && ` · ${BAND_LABELS[bands.overall]} overall`}
        </Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={window.days}
          aria-label="DORA window"
          onChange={(_event, next: number | null) => next && setDays(next)}
        >
          {windows.map(w => (
            <ToggleButton
              key={w.days}
              value={w.days}
              classes={{ root: toggle.button, selected: toggle.selected }}
              focusVisibleClassName={toggle.focusVisible}
            >
              {w.days} days
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Box>
      <Grid container spacing={2}>
        <Figure
          label="Deployment frequency"
          value={perWeek(current)}
          detail={detail(window, bands.deploymentFrequency, perWeek(previous))}
        />
        <Figure
          label="Lead time for changes"
          value={leadTime(current)}
          detail={detail(window, bands.leadTime, leadTime(previous))}
        />
        <Figure
          label="Change failure rate"
          value={failureRate(current)}
          detail={detail(
            window,
            bands.changeFailureRate,
            failureRate(previous),
          )}
        />
        <Figure
          label="Recovery time"
          value={recovery(current)}
          detail={detail(window, bands.recoveryTime, recovery(previous))}
        />
        <Figure
          label="Rework"
          value={rework(current)}
          detail={`${current.reworkDeployments} of ${
            current.deployments
          } deployments · ${before(window, rework(previous))}`}
        />
      </Grid>
    </Box>
  );
}
