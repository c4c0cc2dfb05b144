import { Link } from '@backstage/core-components';
import {
  DiagnosisOutcome,
  DiagnosisOutcomeKind,
} from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { LocalTime } from '../shared';

export const OUTCOME_LABELS: Record<DiagnosisOutcomeKind, string> = {
  verified: 'Verified',
  refuted: 'Refuted',
  inconclusive: 'Inconclusive',
};

/** The outcome in the diagnosis' headline chips. */
export function DiagnosisOutcomeChip(props: { outcome?: DiagnosisOutcome }) {
  if (!props.outcome) return null;
  return (
    <Chip
      size="small"
      variant={
        props.outcome.outcome === 'inconclusive' ? 'outlined' : 'default'
      }
      label={`Outcome: ${OUTCOME_LABELS[props.outcome.outcome]}`}
    />
  );
}

/**
 * What became of the diagnosis, as the agent saw it: the outcome, what happened (the rollback or
 * revert, when the trouble stopped), and a reviewer's reason for a rejection.
 */
export function DiagnosisOutcomeSection(props: { outcome: DiagnosisOutcome }) {
  const { outcome } = props;
  return (
    <Box component="section" aria-label="Outcome" mb={2}>
      <Typography variant="subtitle2" component="h3">
        Outcome
      </Typography>
      <Typography variant="body2">
        <strong>{OUTCOME_LABELS[outcome.outcome]}.</strong>{' '}
        {outcome.description}
      </Typography>
      {outcome.fix && (
        <Typography variant="body2">
          Undone by{' '}
          {outcome.fix.url ? (
            <Link to={outcome.fix.url}>{outcome.fix.title}</Link>
          ) : (
            outcome.fix.title
          )}
          , live <LocalTime time={outcome.fix.at} />.
        </Typography>
      )}
      {outcome.reason && (
        <Typography variant="body2">
          Reason given{outcome.decidedBy ? ` by ${outcome.decidedBy}` : ''}:{' '}
          {outcome.reason}
        </Typography>
      )}
      <Typography variant="caption" color="textSecondary">
        Judged <LocalTime time={outcome.decidedAt} />
      </Typography>
    </Box>
  );
}
