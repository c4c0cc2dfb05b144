import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { shortRef } from '../ProductOsPage/refs';
import { useRollUp } from '../RollUp/useRollUp';

/** The roll-up of the group on the page, and how the page names the group. */
export function useTeamRollUp() {
  const { entity } = useEntity();
  const state = useRollUp(entity);
  const name =
    entity.metadata.title ?? shortRef(stringifyEntityRef(entity), 'group');
  return { name, state };
}
