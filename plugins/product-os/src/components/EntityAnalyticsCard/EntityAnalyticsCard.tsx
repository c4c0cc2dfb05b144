import { TimeWindowName } from '@internal/plugin-product-os-common';
import { AsyncContent, NoData, useEntityQuery, WindowedCard } from '../shared';
import { CARD_ANNOTATIONS } from '../../lib/annotations';
import { bucketFor, describeWindow } from '../../lib/windows';
import { MetricTile } from './MetricTile';

/**
 * The entity's key PostHog metrics: each one's total over a chosen window, the change
 * against the window before it, and a small chart. Needs the
 * `product-os.io/posthog-project-key` annotation.
 * @public
 */
export function EntityAnalyticsCard() {
  return (
    <WindowedCard
      title="Product analytics"
      source="PostHog"
      annotations={CARD_ANNOTATIONS.analytics}
      defaultWindow="7d"
    >
      {window => <Metrics window={window} />}
    </WindowedCard>
  );
}

function Metrics(props: { window: TimeWindowName }) {
  const { window } = props;
  const bucket = bucketFor(window);
  const state = useEntityQuery(
    (api, entity) => api.getMetrics(entity, { window, bucket }),
    [window, bucket],
  );
  return (
    <AsyncContent state={state}>
      {({ items }) =>
        items.length === 0 ? (
          <NoData
            title="No product events"
            description={`PostHog recorded no events of this entity's key metrics in the ${describeWindow(
              window,
            )}. List them in the product-os.io/key-metrics annotation.`}
          />
        ) : (
          items.map(metric => (
            <MetricTile key={metric.key} metric={metric} window={window} />
          ))
        )
      }
    </AsyncContent>
  );
}
