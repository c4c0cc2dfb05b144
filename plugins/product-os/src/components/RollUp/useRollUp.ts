import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { Diagnosis, Rollup } from '@internal/plugin-product-os-common';
import useAsync from 'react-use/esm/useAsync';
import { ProductOsApi, productOsApiRef } from '../../api';

/** A team's or system's roll-up with its open diagnoses, for the views that list them. */
export interface RollUpView {
  rollup: Rollup;
  /** Open diagnoses of the members, newest first. */
  diagnoses: Diagnosis[];
}

/**
 * The roll-up of a group (with every group below it), a system or a domain, in one request,
 * and its open diagnoses: a group's in one more (the inbox's owner filter covers sub-groups),
 * a system's or domain's from each member, since the inbox has no filter for them.
 */
export async function loadRollUp(
  api: ProductOsApi,
  subject: Entity,
): Promise<RollUpView> {
  const ref = stringifyEntityRef(subject);
  const rollup = await api.getRollup(getCompoundEntityRef(subject));
  if (subject.kind.toLocaleLowerCase('en-US') === 'group') {
    const { items } = await api.listDiagnoses({ owner: ref, status: 'open' });
    return { rollup, diagnoses: items };
  }
  const lists = await Promise.all(
    rollup.members.map(member =>
      api.getDiagnoses(parseEntityRef(member.entityRef), { status: 'open' }),
    ),
  );
  const diagnoses = lists
    .flatMap(list => list.items)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return { rollup, diagnoses };
}

/** {@link loadRollUp} of the entity on the page. */
export function useRollUp(subject: Entity) {
  const api = useApi(productOsApiRef);
  const ref = stringifyEntityRef(subject);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useAsync(() => loadRollUp(api, subject), [api, ref]);
}
