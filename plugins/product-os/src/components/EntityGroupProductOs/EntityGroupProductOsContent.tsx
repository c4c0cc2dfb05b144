import { InfoCard } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { DemoDataNotice } from '../shared';
import { RollUpTrend } from '../RollUp/RollUpTrend';
import { TeamHealth } from './TeamHealth';
import { useTeamRollUp } from './useTeamRollUp';

/**
 * The "Product OS" tab of a group: the team's health (what it and every group below it own,
 * ranked), its DORA, open incidents and diagnoses, and the 90-day trend of its figures, all
 * from one roll-up.
 * @public
 */
export function EntityGroupProductOsContent() {
  const { name, state } = useTeamRollUp();
  const history = state.value?.rollup.history;
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <DemoDataNotice />
      </Grid>
      <Grid item xs={12}>
        <TeamHealth name={name} state={state} />
      </Grid>
      {history && state.value!.rollup.members.length > 0 && (
        <Grid item xs={12}>
          <InfoCard
            title="90-day trend"
            subheader={`The health of what ${name} owns, its open incidents and diagnoses waiting, day by day`}
          >
            <RollUpTrend history={history} label={`90-day trend of ${name}`} />
          </InfoCard>
        </Grid>
      )}
    </Grid>
  );
}
