import { useState } from 'react';
import {
  Diagnosis,
  DIAGNOSIS_ACTIONS,
  DiagnosisActionId,
} from '@internal/plugin-product-os-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { DiagnosisReviewStatus } from '../../api';
import { recordAnchorId } from '../../lib/anchors';
import { STATUS_LABELS } from '../../lib/labels';
import { caseLines, HIDDEN_CAUSE } from '../../lib/caseLines';
import { LocalTime } from '../shared';
import { ActionDialog } from './ActionDialog';
import { ActionsDisabledNote } from './ActionsDisabledNote';
import { DiagnosisImpactLine } from './DiagnosisImpactLine';
import {
  DiagnosisOutcomeChip,
  DiagnosisOutcomeSection,
} from './DiagnosisOutcome';
import { EvidenceList } from './EvidenceList';
import {
  ACTION_LABELS,
  ACTIONABILITY_LABELS,
  nextReviewStatuses,
  REVIEW_VERBS,
} from './labels';
import { ReviewDialog } from './ReviewDialog';
import { ReviewHistory } from './ReviewHistory';
import { SuspectList } from './SuspectList';
import {
  UntrustedInstructionChip,
  UntrustedInstructionWarning,
} from './UntrustedInstructionWarning';

/**
 * One diagnosis: what broke and the likely cause in two lines; expanded, what to do first (the
 * review buttons, the next step), then the agent's full summary, the suspects and the evidence.
 */
export function DiagnosisItem(props: {
  diagnosis: Diagnosis;
  canReview: boolean;
  canAct: boolean;
  /** Whether the backend lets people run actions at all (`GET /config`). */
  actionsEnabled?: boolean;
  onReview: (status: DiagnosisReviewStatus, reason?: string) => Promise<void>;
}) {
  const { diagnosis, canReview, canAct, onReview } = props;
  const lines = caseLines(diagnosis);
  const [reviewing, setReviewing] = useState<DiagnosisReviewStatus>();
  const [acting, setActing] = useState<DiagnosisActionId>();
  const reviews = canReview ? nextReviewStatuses(diagnosis.status) : [];
  const headingId = `product-os-diagnosis-${diagnosis.id}-heading`;

  return (
    <Accordion
      id={recordAnchorId('diagnosis', diagnosis.id)}
      TransitionProps={{ unmountOnExit: true }}
    >
      {/* Named by all it shows (headline and chips), so its name contains its visible text. */}
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Box>
          <Typography id={headingId} component="span" display="block">
            <strong>{lines.what}.</strong> Likely cause: {lines.cause}.
          </Typography>
          <Box display="flex" flexWrap="wrap" gridGap={8} mt={1}>
            <Chip size="small" label={`Confidence: ${lines.confidence}`} />
            <Chip
              size="small"
              variant={
                diagnosis.actionability === 'needs_human'
                  ? 'default'
                  : 'outlined'
              }
              label={ACTIONABILITY_LABELS[diagnosis.actionability]}
            />
            {diagnosis.verdict === 'not_enough_evidence' && (
              <Chip size="small" label="Not enough evidence" />
            )}
            <DiagnosisOutcomeChip outcome={diagnosis.outcome} />
            <UntrustedInstructionChip diagnosis={diagnosis} />
            <Chip
              size="small"
              variant="outlined"
              aria-label={`Status: ${STATUS_LABELS[diagnosis.status]}`}
              label={STATUS_LABELS[diagnosis.status]}
            />
            <Typography variant="caption" color="textSecondary">
              <LocalTime time={diagnosis.createdAt} />
            </Typography>
          </Box>
        </Box>
      </AccordionSummary>
      <AccordionDetails>
        <Box width="100%">
          <UntrustedInstructionWarning diagnosis={diagnosis} />
          {diagnosis.nextStep && (
            <Typography paragraph>
              <strong>Next step:</strong> {diagnosis.nextStep}
            </Typography>
          )}
          <Box display="flex" flexWrap="wrap" gridGap={8} mb={2}>
            {reviews.map(status => (
              <Button
                key={status}
                size="small"
                variant="outlined"
                onClick={() => setReviewing(status)}
              >
                {REVIEW_VERBS[status]}
              </Button>
            ))}
            {canAct &&
              DIAGNOSIS_ACTIONS.map(action => (
                <Button
                  key={action}
                  size="small"
                  color="primary"
                  onClick={() => setActing(action)}
                >
                  {ACTION_LABELS[action]}
                </Button>
              ))}
          </Box>
          {props.actionsEnabled === false && <ActionsDisabledNote />}
          <Typography variant="body2" paragraph>
            {diagnosis.summary}
          </Typography>
          {diagnosis.impact && (
            <DiagnosisImpactLine impact={diagnosis.impact} />
          )}
          {diagnosis.outcome && (
            <DiagnosisOutcomeSection outcome={diagnosis.outcome} />
          )}
          <Typography variant="subtitle2" component="h3">
            Suspects
          </Typography>
          {/* The top suspect is a change the reader may not see: say so, and name none below. */}
          {diagnosis.hiddenTopSuspect && (
            <Typography variant="body2">{HIDDEN_CAUSE}</Typography>
          )}
          {diagnosis.suspects.length === 0 ? (
            !diagnosis.hiddenTopSuspect && (
              <Typography variant="body2" color="textSecondary">
                The agent found no change to blame.
              </Typography>
            )
          ) : (
            <SuspectList
              suspects={diagnosis.suspects}
              named={
                diagnosis.verdict !== 'not_enough_evidence' &&
                !diagnosis.hiddenTopSuspect
              }
              entityRef={diagnosis.entityRef}
            />
          )}
          {diagnosis.evidence.length > 0 && (
            <>
              <Typography variant="subtitle2" component="h3">
                Evidence
              </Typography>
              <EvidenceList evidence={diagnosis.evidence} label="Evidence" />
            </>
          )}
          {diagnosis.history && diagnosis.history.length > 0 && (
            <>
              <Typography variant="subtitle2" component="h3">
                Review history
              </Typography>
              <ReviewHistory history={diagnosis.history} />
            </>
          )}
          {diagnosis.feedback && (
            <Typography variant="body2" color="textSecondary">
              Reviewer's note: {diagnosis.feedback}
            </Typography>
          )}
        </Box>
      </AccordionDetails>
      {reviewing && (
        <ReviewDialog
          status={reviewing}
          onSubmit={reason => onReview(reviewing, reason)}
          onClose={() => setReviewing(undefined)}
        />
      )}
      {acting && (
        <ActionDialog
          diagnosisId={diagnosis.id}
          action={acting}
          onClose={() => setActing(undefined)}
        />
      )}
    </Accordion>
  );
}
