import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import {
  DemoDataNotice,
  EntityLiveRefresh,
  ReviewRevisionProvider,
} from '../shared';
import { CARD_ANNOTATIONS, isProductOsAvailable } from '../../lib/annotations';
import { EntityAnalyticsCard } from '../EntityAnalyticsCard';
import { EntityChangesCard } from '../EntityChangesCard';
import { EntityDiagnosesCard } from '../EntityDiagnosesCard';
import { EntityErrorTrendsCard } from '../EntityErrorTrendsCard';
import { EntityIncidentHistoryCard } from '../EntityIncidentHistoryCard';
import { EntityProductOsTimeline } from '../EntityProductOsTimeline';
import { EntitySyncStatusCard } from '../EntitySyncStatusCard';
import { EntityGroupProductOsContent } from '../EntityGroupProductOs';
import { EntitySystemProductOsContent } from '../EntitySystemProductOs';
import { LiveHeadline } from './LiveHeadline';

/**
 * The "Product OS" tab of an entity page. A component's: this week's health headline (errors
 * against the week before, open incidents, the latest diagnosis, deploys), then the timeline
 * and every Product OS card, each asking for its own annotation when it is missing, and last
 * the sources' sync state. A group's and a system's are their roll-ups (what they own or
 * contain), which need no annotation.
 * @public
 */
export function EntityProductOsContent() {
  const { entity } = useEntity();
  const kind = entity.kind.toLocaleLowerCase('en-US');
  if (kind === 'group') return <EntityGroupProductOsContent />;
  if (kind === 'system') return <EntitySystemProductOsContent />;
  if (!isProductOsAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={[...CARD_ANNOTATIONS.any]} />
    );
  }
  return (
    <ReviewRevisionProvider>
      {/* Every section loads again when the entity's data change (see EntityLiveRefresh). */}
      <EntityLiveRefresh>
        <Grid container spacing={3} alignItems="stretch">
          <Grid item xs={12}>
            <DemoDataNotice />
            <LiveHeadline />
          </Grid>
          <Grid item xs={12}>
            <EntityDiagnosesCard />
          </Grid>
          <Grid item xs={12}>
            <EntityProductOsTimeline />
          </Grid>
          {/* The two cards with tables take the full width; their columns do not fit in half. */}
          <Grid item xs={12}>
            <EntityErrorTrendsCard />
          </Grid>
          <Grid item xs={12} lg={6}>
            <EntityAnalyticsCard />
          </Grid>
          <Grid item xs={12} lg={6}>
            <EntityChangesCard />
          </Grid>
          <Grid item xs={12}>
            <EntityIncidentHistoryCard />
          </Grid>
          {/* Last: where the data above comes from, and "Sync now". */}
          <Grid item xs={12}>
            <EntitySyncStatusCard />
          </Grid>
        </Grid>
      </EntityLiveRefresh>
    </ReviewRevisionProvider>
  );
}
