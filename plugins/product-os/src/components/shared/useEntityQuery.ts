import { DependencyList } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ProductOsApi, productOsApiRef } from '../../api';

/** Loads something about the current entity from the Product OS API, again when `deps` change. */
export function useEntityQuery<T>(
  load: (api: ProductOsApi, entity: CompoundEntityRef) => Promise<T>,
  deps: DependencyList,
) {
  const api = useApi(productOsApiRef);
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  return useAsync(
    () => load(api, getCompoundEntityRef(entity)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef, ...deps],
  );
}
