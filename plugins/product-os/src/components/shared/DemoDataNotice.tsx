import { configApiRef, useApi } from '@backstage/core-plugin-api';
import Alert from '@material-ui/lab/Alert';

/**
 * Says that the data shown is the demo's (productOs.demo.enabled), so nobody mistakes the
 * example web shop's errors and incidents for real ones.
 */
export function DemoDataNotice() {
  const config = useApi(configApiRef);
  if (!config.getOptionalBoolean('productOs.demo.enabled')) return null;
  return (
    <Alert severity="info" role="status" aria-label="Demo data">
      Demo data: the example web shop's services send these errors, product
      events, deploys and incidents to this portal (examples/demo). Connect real
      sources as the README describes.
    </Alert>
  );
}
