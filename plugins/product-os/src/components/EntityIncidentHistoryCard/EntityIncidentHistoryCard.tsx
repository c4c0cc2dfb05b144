import { useState } from 'react';
import { Incident, TimeWindowName } from '@internal/plugin-product-os-common';
import { AsyncContent, NoData, useEntityQuery, WindowedCard } from '../shared';
import { CARD_ANNOTATIONS } from '../../lib/annotations';
import { describeWindow } from '../../lib/windows';
import { IncidentTable } from './IncidentTable';
import { IncidentTimelineDrawer } from './IncidentTimelineDrawer';

/**
 * Every PagerDuty incident of the entity in a chosen window, resolved ones included, with
 * urgency, duration, time to acknowledge and time to resolve; each incident's log opens in
 * a drawer. Needs `pagerduty.com/service-id` or `pagerduty.com/integration-key`.
 * @public
 */
export function EntityIncidentHistoryCard() {
  return (
    <WindowedCard
      title="Incident history"
      source="PagerDuty"
      annotations={CARD_ANNOTATIONS.incidents}
      defaultWindow="7d"
    >
      {window => <Incidents window={window} />}
    </WindowedCard>
  );
}

function Incidents(props: { window: TimeWindowName }) {
  const { window } = props;
  const [selected, setSelected] = useState<Incident>();
  const state = useEntityQuery(
    (api, entity) => api.getIncidents(entity, { window }),
    [window],
  );
  return (
    <AsyncContent state={state}>
      {({ items }) =>
        items.length === 0 ? (
          <NoData
            title="No incidents"
            description={`PagerDuty opened no incidents for this entity in the ${describeWindow(
              window,
            )}.`}
          />
        ) : (
          <>
            <IncidentTable incidents={items} onShowTimeline={setSelected} />
            <IncidentTimelineDrawer
              incident={selected}
              onClose={() => setSelected(undefined)}
            />
          </>
        )
      }
    </AsyncContent>
  );
}
