import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { formatCount } from '../../lib/format';
import { Figure } from '../shared/Figure';
import { DoraSummary } from './DoraSummary';
import { OpenDiagnosesList } from './OpenDiagnosesList';
import { RankedMembers } from './RankedMembers';
import { RollUpView } from './useRollUp';

/**
 * What a team or a system adds up to: its figures, its DORA, its services ranked by health,
 * and its open diagnoses.
 */
export function RollUpSummary(props: {
  view: RollUpView;
  /** "services", "components": what the members are, as the figures say it. */
  noun: string;
  tableLabel: string;
}) {
  const { rollup, diagnoses } = props.view;
  return (
    <>
      <Grid container spacing={2}>
        <Figure
          label={`Tracked ${props.noun}`}
          value={formatCount(rollup.members.length)}
        />
        <Figure
          label="Health"
          value={rollup.score === null ? '—' : Math.round(rollup.score)}
          detail={`the mean of its ${props.noun}, last 7 days`}
        />
        <Figure
          label="Open incidents"
          value={formatCount(rollup.openIncidents)}
        />
        <Figure
          label="Open diagnoses"
          value={formatCount(rollup.openDiagnoses)}
          detail={`${formatCount(
            rollup.diagnosesNeedingHuman,
          )} waiting for a person`}
        />
      </Grid>
      <Box mt={2}>
        <DoraSummary report={rollup.dora} />
      </Box>
      <Box mt={2}>
        <RankedMembers rollup={rollup} label={props.tableLabel} />
      </Box>
      <Box mt={2}>
        <Typography variant="h6" component="h3">
          Open diagnoses
        </Typography>
        <OpenDiagnosesList diagnoses={diagnoses} />
      </Box>
    </>
  );
}
