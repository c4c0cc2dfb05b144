import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  Diagnosis,
  EntityHealth,
  EntityOverview,
  TimeWindowName,
} from '@internal/plugin-product-os-common';
import useAsync from 'react-use/esm/useAsync';
import { HealthFilter, ProductOsApi, productOsApiRef } from '../../api';

/** A tracked entity of a team or system, with its health and its figures of the window. */
export interface RollUpRow extends EntityHealth {
  incidents: EntityOverview['incidents'];
  deploys: number;
  openDiagnoses: number;
}

/** What a team or a system adds up to in a window. */
export interface RollUp {
  rows: RollUpRow[];
  /** Open diagnoses of every row, newest first. */
  diagnoses: Diagnosis[];
  totals: {
    entities: number;
    openIncidents: number;
    incidents: number;
    deploys: number;
    openDiagnoses: number;
  };
}

/** Whose roll-up: a group (with every group below it) or a system (with its parts). */
export type RollUpScope = { owner: string } | { system: string };

/**
 * The roll-up of a team or system: which tracked entities it has and their health (one
 * `/health` request, which already includes sub-groups), then each entity's figures of the
 * window and its open diagnoses.
 */
export async function loadRollUp(
  api: ProductOsApi,
  scope: RollUpScope,
  window: TimeWindowName,
): Promise<RollUp> {
  const { items: health } = await api.getHealth(scope as HealthFilter, {
    window,
  });
  const [overviews, diagnoses] = await Promise.all([
    Promise.all(
      health.map(row =>
        api.getOverview(parseEntityRef(row.entityRef), { window }),
      ),
    ),
    openDiagnosesOf(api, scope, health),
  ]);
  const rows = health.map((row, index) => ({
    ...row,
    incidents: overviews[index].incidents,
    deploys: overviews[index].deploys,
    openDiagnoses: overviews[index].diagnoses.open,
  }));
  const sum = (pick: (row: RollUpRow) => number) =>
    rows.reduce((total, row) => total + pick(row), 0);
  return {
    rows,
    diagnoses,
    totals: {
      entities: rows.length,
      openIncidents: sum(row => row.incidents.open),
      incidents: sum(row => row.incidents.total),
      deploys: sum(row => row.deploys),
      openDiagnoses: sum(row => row.openDiagnoses),
    },
  };
}

/**
 * A group's open diagnoses come in one request (the inbox's owner filter covers sub-groups);
 * a system's are asked of each of its entities, since the inbox has no system filter.
 */
async function openDiagnosesOf(
  api: ProductOsApi,
  scope: RollUpScope,
  health: EntityHealth[],
): Promise<Diagnosis[]> {
  if ('owner' in scope) {
    const { items } = await api.listDiagnoses({
      owner: scope.owner,
      status: 'open',
    });
    return items;
  }
  const lists = await Promise.all(
    health.map(row =>
      api.getDiagnoses(parseEntityRef(row.entityRef), { status: 'open' }),
    ),
  );
  return lists
    .flatMap(list => list.items)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** {@link loadRollUp} for a React component, again when the scope or window change. */
export function useRollUp(scope: RollUpScope, window: TimeWindowName) {
  const api = useApi(productOsApiRef);
  const key =
    'owner' in scope ? `owner:${scope.owner}` : `system:${scope.system}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useAsync(() => loadRollUp(api, scope, window), [api, key, window]);
}
