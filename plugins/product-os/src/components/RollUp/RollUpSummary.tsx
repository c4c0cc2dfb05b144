import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { formatCount } from '../../lib/format';
import { describeWindow } from '../../lib/windows';
import { TimeWindowName } from '@internal/plugin-product-os-common';
import { Figure } from '../shared/Figure';
import { OpenDiagnosesList } from './OpenDiagnosesList';
import { RankedHealthTable } from './RankedHealthTable';
import { RollUp } from './useRollUp';

/**
 * What a team or a system adds up to: its figures of the window, its entities ranked by
 * health, and its open diagnoses.
 */
export function RollUpSummary(props: {
  rollUp: RollUp;
  window: TimeWindowName;
  /** "services", "components": what the rows are, as the figures say it. */
  noun: string;
  tableLabel: string;
}) {
  const { rollUp, window } = props;
  const { totals } = rollUp;
  const windowLabel = describeWindow(window);
  return (
    <>
      <Grid container spacing={2}>
        <Figure
          label={`Tracked ${props.noun}`}
          value={formatCount(totals.entities)}
        />
        <Figure
          label="Open incidents"
          value={formatCount(totals.openIncidents)}
          detail={`${formatCount(totals.incidents)} in the ${windowLabel}`}
        />
        <Figure
          label="Deploys"
          value={formatCount(totals.deploys)}
          detail={`in the ${windowLabel}`}
        />
        <Figure
          label="Open diagnoses"
          value={formatCount(totals.openDiagnoses)}
        />
      </Grid>
      <Box mt={2}>
        <RankedHealthTable
          rows={rollUp.rows}
          label={props.tableLabel}
          windowLabel={windowLabel}
        />
      </Box>
      <Box mt={2}>
        <Typography variant="h6" component="h3">
          Open diagnoses
        </Typography>
        <OpenDiagnosesList diagnoses={rollUp.diagnoses} />
      </Box>
    </>
  );
}
