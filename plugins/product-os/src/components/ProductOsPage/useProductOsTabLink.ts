import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { useCallback } from 'react';

/** The path of an entity's Product OS tab: `/catalog/:namespace/:kind/:name/product-os`. */
export function useProductOsTabLink(): (entityRef: string) => string {
  const entityRoute = useRouteRef(entityRouteRef);
  return useCallback(
    (entityRef: string) =>
      `${entityRoute(entityRouteParams(parseEntityRef(entityRef)))}/product-os`,
    [entityRoute],
  );
}
