import { DependencyList, useRef } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ProductOsApi, productOsApiRef } from '../../api';
import { useLiveRefresh } from './LiveRefresh';

/**
 * Loads something about the current entity from the Product OS API, again when `deps` change
 * and whenever the page hears that the entity's data changed (`EntityLiveRefresh`). While such a
 * live refresh loads, the section keeps showing what it had, so the page does not flicker.
 */
export function useEntityQuery<T>(
  load: (api: ProductOsApi, entity: CompoundEntityRef) => Promise<T>,
  deps: DependencyList,
) {
  const api = useApi(productOsApiRef);
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { revision } = useLiveRefresh();
  const state = useAsync(
    () => load(api, getCompoundEntityRef(entity)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef, revision, ...deps],
  );
  const settled = useRef<{ deps: unknown[]; value: T } | undefined>(undefined);
  const current = [api, entityRef, ...deps];
  if (!state.loading && !state.error && state.value !== undefined)
    settled.current = { deps: current, value: state.value };
  const refreshing =
    state.loading &&
    settled.current !== undefined &&
    sameDeps(settled.current.deps, current);
  return refreshing
    ? { loading: false, value: settled.current!.value, error: undefined }
    : state;
}

function sameDeps(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}
