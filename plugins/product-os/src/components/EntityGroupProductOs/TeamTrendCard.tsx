import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { productOsApiRef } from '../../api';
import { AsyncContent } from '../shared';
import { shortRef } from '../ProductOsPage/refs';
import { RollUpTrend } from '../RollUp/RollUpTrend';

/** The 90-day trend of what a team (with the groups below it) owns, on its Group page. */
export function TeamTrendCard() {
  const { entity } = useEntity();
  const owner = stringifyEntityRef(entity);
  const name = entity.metadata.title ?? shortRef(owner, 'group');
  const api = useApi(productOsApiRef);
  const owned = useAsync(() => api.getHealth({ owner }), [api, owner]);
  return (
    <InfoCard
      title="90-day trend"
      subheader={`Errors, deploys and incidents of what ${name} owns, day by day`}
    >
      <AsyncContent state={owned}>
        {({ items }) => (
          <RollUpTrend
            entityRefs={items.map(row => row.entityRef)}
            label={`90-day trend of ${name}`}
          />
        )}
      </AsyncContent>
    </InfoCard>
  );
}
