import { Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { DiagnosisActionId } from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { productOsApiRef } from '../../api';
import { ACTION_LABELS } from './labels';

/**
 * Shows exactly what an action would write to an outside system and runs it only when the
 * user confirms.
 */
export function ActionDialog(props: {
  diagnosisId: number;
  action: DiagnosisActionId;
  onClose: () => void;
}) {
  const { diagnosisId, action, onClose } = props;
  const api = useApi(productOsApiRef);
  const preview = useAsync(
    () => api.previewDiagnosisAction(diagnosisId, action),
    [api, diagnosisId, action],
  );
  const previewToken = preview.value?.previewToken;
  const [run, confirm] = useAsyncFn(
    async () => api.runDiagnosisAction(diagnosisId, action, previewToken!),
    [api, diagnosisId, action, previewToken],
  );

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="product-os-action-title"
      fullWidth
    >
      <DialogTitle id="product-os-action-title">
        {ACTION_LABELS[action]}
      </DialogTitle>
      <DialogContent>
        {preview.loading && <Progress />}
        {preview.error && (
          <Alert severity="error">{preview.error.message}</Alert>
        )}
        {preview.value && (
          <Box aria-label="Preview" role="region">
            <Typography variant="body2" color="textSecondary">
              Target: {preview.value.target}
            </Typography>
            {preview.value.title && (
              <Typography variant="subtitle1">{preview.value.title}</Typography>
            )}
            <Box component="pre" whiteSpace="pre-wrap" fontFamily="monospace">
              {preview.value.body}
            </Box>
            {!preview.value.enabled && (
              <Alert severity="info">
                This action cannot run for this diagnosis.
              </Alert>
            )}
          </Box>
        )}
        {run.error && <Alert severity="error">{run.error.message}</Alert>}
        {run.value && (
          <Alert severity="success">
            Done: <Link to={run.value.url}>{run.value.url}</Link>
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{run.value ? 'Close' : 'Cancel'}</Button>
        {!run.value && (
          <Button
            color="primary"
            variant="contained"
            onClick={confirm}
            disabled={!preview.value?.enabled || !previewToken || run.loading}
          >
            Confirm
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
