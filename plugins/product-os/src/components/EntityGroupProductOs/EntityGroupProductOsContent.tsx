import Grid from '@material-ui/core/Grid';
import { DemoDataNotice } from '../shared';
import { EntityTeamHealthCard } from './EntityTeamHealthCard';
import { TeamTrendCard } from './TeamTrendCard';

/**
 * The "Product OS" tab of a group: the team's health (what it and every group below it own,
 * ranked), its open diagnoses, incidents and deploys, and the 90-day trend of its figures.
 * @public
 */
export function EntityGroupProductOsContent() {
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <DemoDataNotice />
      </Grid>
      <Grid item xs={12}>
        <EntityTeamHealthCard />
      </Grid>
      <Grid item xs={12}>
        <TeamTrendCard />
      </Grid>
    </Grid>
  );
}
