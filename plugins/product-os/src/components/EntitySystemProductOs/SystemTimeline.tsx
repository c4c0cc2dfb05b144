import { parseEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { TimeWindowName } from '@internal/plugin-product-os-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { productOsApiRef } from '../../api';
import { entityName } from '../../lib/caseLines';
import { describeWindow } from '../../lib/windows';
import { AsyncContent, NoData, WindowToggle } from '../shared';
import { itemLinkOnTab } from '../EntityProductOsTimeline/itemLink';
import { toEntityLaneRows } from '../EntityProductOsTimeline/lanes';
import { ZoomableTimeline } from '../EntityProductOsTimeline/ZoomableTimeline';
import { useProductOsTabLink } from '../ProductOsPage/useProductOsTabLink';

/**
 * A system's components' case files on one time axis, a lane per component: a deploy of one
 * beside the errors of another. Each item leads to its row on its component's tab.
 */
export function SystemTimeline(props: { entityRefs: string[] }) {
  const api = useApi(productOsApiRef);
  const tabLink = useProductOsTabLink();
  const [window, setWindow] = useState<TimeWindowName>('7d');
  const key = props.entityRefs.join(',');
  const state = useAsync(
    async () =>
      Promise.all(
        props.entityRefs.map(async entityRef => ({
          entityRef,
          items: (await api.getTimeline(parseEntityRef(entityRef), { window }))
            .items,
        })),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, window],
  );
  return (
    <InfoCard
      title="Timeline"
      subheader={`Every component's case file, ${describeWindow(window)}`}
      action={<WindowToggle value={window} onChange={setWindow} />}
      variant="gridItem"
    >
      <AsyncContent state={state}>
        {timelines => {
          const rows = toEntityLaneRows(timelines);
          return rows.length === 0 ? (
            <NoData
              title="Nothing happened"
              description={`No deploys, errors, anomalies, incidents or diagnoses in any component in the ${describeWindow(
                window,
              )}.`}
            />
          ) : (
            <ZoomableTimeline
              rows={rows}
              window={window}
              lanes={timelines.map(t => entityName(t.entityRef))}
              linkOf={row =>
                row.entityRef && itemLinkOnTab(row.item, tabLink(row.entityRef))
              }
            />
          );
        }}
      </AsyncContent>
    </InfoCard>
  );
}
