import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { useState } from 'react';
import { TimeWindowName } from '@internal/plugin-product-os-common';
import { CARD_ANNOTATIONS } from '../../lib/annotations';
import { describeWindow } from '../../lib/windows';
import { AsyncContent, DemoDataNotice, NoData, WindowToggle } from '../shared';
import { shortRef } from '../ProductOsPage/refs';
import { RollUpSummary } from '../RollUp/RollUpSummary';
import { RollUpTrend } from '../RollUp/RollUpTrend';
import { useRollUp } from '../RollUp/useRollUp';
import { SystemTimeline } from './SystemTimeline';

/**
 * The "Product OS" tab of a system: its components (and the system itself, when it has
 * Product OS annotations of its own) ranked by health, their open diagnoses, their case files
 * on one timeline, and the 90-day trend of their figures.
 * @public
 */
export function EntitySystemProductOsContent() {
  const { entity } = useEntity();
  const system = stringifyEntityRef(entity);
  const name = entity.metadata.title ?? shortRef(system, 'system');
  const [window, setWindow] = useState<TimeWindowName>('7d');
  const state = useRollUp({ system }, window);
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <DemoDataNotice />
      </Grid>
      <AsyncContent state={state}>
        {rollUp => {
          if (rollUp.rows.length === 0) {
            return (
              <Grid item xs={12}>
                <NoData
                  title="Nothing tracked"
                  description={`No component of ${name} has a Product OS annotation (one of ${CARD_ANNOTATIONS.any.join(
                    ', ',
                  )}).`}
                />
              </Grid>
            );
          }
          const refs = rollUp.rows.map(row => row.entityRef);
          return (
            <>
              <Grid item xs={12}>
                <InfoCard
                  title="System health"
                  subheader={`The components of ${name}, ${describeWindow(
                    window,
                  )}`}
                  action={<WindowToggle value={window} onChange={setWindow} />}
                >
                  <RollUpSummary
                    rollUp={rollUp}
                    window={window}
                    noun="components"
                    tableLabel={`Components of ${name} by health`}
                  />
                </InfoCard>
              </Grid>
              <Grid item xs={12}>
                <SystemTimeline entityRefs={refs} />
              </Grid>
              <Grid item xs={12}>
                <InfoCard
                  title="90-day trend"
                  subheader={`Errors, deploys and incidents of ${name}'s components, day by day`}
                >
                  <RollUpTrend
                    entityRefs={refs}
                    label={`90-day trend of ${name}`}
                  />
                </InfoCard>
              </Grid>
            </>
          );
        }}
      </AsyncContent>
    </Grid>
  );
}
