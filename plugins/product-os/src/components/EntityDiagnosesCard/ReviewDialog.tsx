import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { DiagnosisReviewStatus } from '../../api';
import { REVIEW_VERBS } from './labels';

/**
 * Asks why before moving a diagnosis to `status`. A rejection needs a reason: it is the
 * feedback the agent learns from.
 */
export function ReviewDialog(props: {
  status: DiagnosisReviewStatus;
  onSubmit: (reason?: string) => Promise<void>;
  onClose: () => void;
}) {
  const { status, onSubmit, onClose } = props;
  const [reason, setReason] = useState('');
  const verb = REVIEW_VERBS[status];
  const reasonRequired = status === 'rejected';
  const [submission, submit] = useAsyncFn(async () => {
    await onSubmit(reason.trim() || undefined);
    onClose();
  }, [reason, onSubmit, onClose]);

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="product-os-review-title"
      fullWidth
    >
      <DialogTitle id="product-os-review-title">{verb} diagnosis</DialogTitle>
      <DialogContent>
        <TextField
          id="product-os-review-reason"
          label={reasonRequired ? 'Reason' : 'Reason (optional)'}
          value={reason}
          onChange={event => setReason(event.target.value)}
          required={reasonRequired}
          multiline
          minRows={2}
          fullWidth
        />
        {submission.error && (
          <Alert severity="error">{submission.error.message}</Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={submit}
          disabled={submission.loading || (reasonRequired && !reason.trim())}
        >
          {verb}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
