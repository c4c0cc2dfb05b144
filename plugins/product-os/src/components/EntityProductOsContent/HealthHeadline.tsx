import { InfoCard } from '@backstage/core-components';
import { EntityOverview } from '@internal/plugin-product-os-common';
import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import { recordAnchorId } from '../../lib/anchors';
import { describeChange, formatCount, formatPercent } from '../../lib/format';
import { STATUS_LABELS } from '../../lib/labels';

function Figure(props: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
}) {
  return (
    <Grid
      item
      xs={12}
      sm={6}
      md={3}
      component="section"
      aria-label={props.label}
    >
      <Typography variant="overline" component="h3">
        {props.label}
      </Typography>
      <Typography variant="h4" component="p">
        {props.value}
      </Typography>
      {props.detail && (
        <Typography variant="body2" color="textSecondary" component="div">
          {props.detail}
        </Typography>
      )}
    </Grid>
  );
}

/** The four numbers that say how the entity is doing this week. */
export function HealthHeadline(props: { overview: EntityOverview }) {
  const { errors, incidents, deploys, latestDiagnosis } = props.overview;
  const theme = useTheme();
  const worse = errors.events > errors.previousEvents;
  return (
    <InfoCard title="This week">
      <Grid container spacing={2}>
        <Figure
          label="Errors"
          value={formatCount(errors.events)}
          detail={
            <span
              style={{ color: worse ? theme.palette.error.main : undefined }}
            >
              {describeChange(errors.events, errors.previousEvents)} vs previous
              7 days ({formatCount(errors.previousEvents)})
            </span>
          }
        />
        <Figure
          label="Open incidents"
          value={formatCount(incidents.open)}
          detail={`${formatCount(incidents.total)} in the last 7 days`}
        />
        <Figure
          label="Latest diagnosis"
          value={
            latestDiagnosis ? (
              // A bare fragment: the diagnosis is on this tab, further down.
              <Link
                href={`#${recordAnchorId('diagnosis', latestDiagnosis.id)}`}
              >
                {STATUS_LABELS[latestDiagnosis.status]}
              </Link>
            ) : (
              'None'
            )
          }
          detail={
            latestDiagnosis
              ? `${latestDiagnosis.summary} (confidence ${formatPercent(
                  latestDiagnosis.confidence,
                )})`
              : 'Nothing has needed explaining.'
          }
        />
        <Figure label="Deploys this week" value={formatCount(deploys)} />
      </Grid>
    </InfoCard>
  );
}
