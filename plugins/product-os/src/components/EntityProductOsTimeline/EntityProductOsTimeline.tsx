import { TimeWindowName } from '@internal/plugin-product-os-common';
import { AsyncContent, NoData, useEntityQuery, WindowedCard } from '../shared';
import { CARD_ANNOTATIONS } from '../../lib/annotations';
import { describeWindow } from '../../lib/windows';
import { toTimelineRows } from './lanes';
import { ZoomableTimeline } from './ZoomableTimeline';

/**
 * The case file of an entity: deployments, anomalies, incidents, error groups and diagnoses
 * on one zoomable time axis, each linked to its detail. Needs any Product OS annotation.
 * @public
 */
export function EntityProductOsTimeline() {
  return (
    <WindowedCard
      title="Timeline"
      source="Everything that happened"
      annotations={CARD_ANNOTATIONS.any}
      defaultWindow="7d"
    >
      {window => <Timeline window={window} />}
    </WindowedCard>
  );
}

function Timeline(props: { window: TimeWindowName }) {
  const { window } = props;
  const state = useEntityQuery(
    (api, entity) => api.getTimeline(entity, { window }),
    [window],
  );
  return (
    <AsyncContent state={state}>
      {({ items }) =>
        items.length === 0 ? (
          <NoData
            title="Nothing happened"
            description={`No deploys, errors, anomalies, incidents or diagnoses in the ${describeWindow(
              window,
            )}.`}
          />
        ) : (
          <ZoomableTimeline rows={toTimelineRows(items)} window={window} />
        )
      }
    </AsyncContent>
  );
}
