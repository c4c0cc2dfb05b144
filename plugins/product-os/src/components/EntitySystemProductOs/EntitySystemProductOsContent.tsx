import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { CARD_ANNOTATIONS } from '../../lib/annotations';
import { AsyncContent, DemoDataNotice, NoData } from '../shared';
import { shortRef } from '../ProductOsPage/refs';
import { RollUpSummary } from '../RollUp/RollUpSummary';
import { RollUpTrend } from '../RollUp/RollUpTrend';
import { useRollUp } from '../RollUp/useRollUp';
import { SystemTimeline } from './SystemTimeline';

/**
 * The "Product OS" tab of a system: its components ranked by health, its DORA and open
 * diagnoses (one roll-up), their case files on one timeline, and the 90-day trend.
 * @public
 */
export function EntitySystemProductOsContent() {
  const { entity } = useEntity();
  const name =
    entity.metadata.title ?? shortRef(stringifyEntityRef(entity), 'system');
  const state = useRollUp(entity);
  const rollup = state.value?.rollup;
  if (rollup && rollup.members.length === 0) {
    return (
      <NoData
        title="Nothing tracked"
        description={`No component of ${name} has a Product OS annotation (one of ${CARD_ANNOTATIONS.any.join(
          ', ',
        )}).`}
      />
    );
  }
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <DemoDataNotice />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="System health" subheader={`The components of ${name}`}>
          <AsyncContent state={state}>
            {view => (
              <RollUpSummary
                view={view}
                noun="components"
                tableLabel={`Components of ${name} by health`}
              />
            )}
          </AsyncContent>
        </InfoCard>
      </Grid>
      {rollup && (
        <>
          <Grid item xs={12}>
            <SystemTimeline
              entityRefs={rollup.members.map(member => member.entityRef)}
            />
          </Grid>
          <Grid item xs={12}>
            <InfoCard
              title="90-day trend"
              subheader={`The health of ${name}'s components, their open incidents and diagnoses waiting, day by day`}
            >
              <RollUpTrend
                history={rollup.history}
                label={`90-day trend of ${name}`}
              />
            </InfoCard>
          </Grid>
        </>
      )}
    </Grid>
  );
}
