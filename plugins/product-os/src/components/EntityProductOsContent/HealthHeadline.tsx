import { InfoCard } from '@backstage/core-components';
import { EntityOverview } from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { ReactNode } from 'react';
import { recordAnchorId } from '../../lib/anchors';
import { describeChange, formatCount } from '../../lib/format';
import { CaseHeadline, useStatusColours } from '../shared';
import { Figure } from '../shared/Figure';

/**
 * How the entity is doing this week: the latest diagnosis in four lines (what broke, the likely
 * cause, the next step, the confidence), then the week's numbers.
 */
export function HealthHeadline(props: {
  overview: EntityOverview;
  /** When the overview was loaded: "since …" is counted from it. */
  loadedAt: number;
  /** Said above the numbers, e.g. when they were last updated and what changed. */
  status?: ReactNode;
  /** The parts that changed since the load before (`changedParts`): marked on their figures. */
  changed?: string[];
}) {
  const { errors, incidents, deploys, diagnoses, latestDiagnosis } =
    props.overview;
  const colours = useStatusColours();
  const changed = new Set(props.changed);
  const baseline = errors.previousEvents > 0;
  const worse = baseline && errors.events > errors.previousEvents;
  return (
    <InfoCard title="This week">
      {props.status}
      {latestDiagnosis && (
        <Box mb={2}>
          <CaseHeadline
            diagnosis={latestDiagnosis}
            now={props.loadedAt}
            detailHref={`#${recordAnchorId('diagnosis', latestDiagnosis.id)}`}
          />
        </Box>
      )}
      <Grid container spacing={2}>
        <Figure
          label="Errors"
          value={formatCount(errors.events)}
          changed={changed.has('errors')}
          detail={
            baseline ? (
              <span style={{ color: worse ? colours.bad : undefined }}>
                {describeChange(errors.events, errors.previousEvents)} vs
                previous 7 days ({formatCount(errors.previousEvents)})
              </span>
            ) : (
              'no baseline yet: nothing in the previous 7 days'
            )
          }
        />
        <Figure
          label="Open incidents"
          value={formatCount(incidents.open)}
          changed={changed.has('open incidents')}
          detail={`${formatCount(incidents.total)} in the last 7 days`}
        />
        <Figure
          label="Open diagnoses"
          value={formatCount(diagnoses.open)}
          changed={changed.has('open diagnoses')}
          detail={
            latestDiagnosis ? undefined : 'Nothing has needed explaining.'
          }
        />
        <Figure
          label="Deploys this week"
          value={formatCount(deploys)}
          changed={changed.has('deploys')}
        />
      </Grid>
    </InfoCard>
  );
}
