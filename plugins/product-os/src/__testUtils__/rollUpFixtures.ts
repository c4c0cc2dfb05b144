import { Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  EntityHealth,
  EntityOverview,
  TimelineItem,
} from '@internal/plugin-product-os-common';
import { ProductOsApi } from '../api';
import { openDiagnosis, overview } from './fixtures';

/*
 * A payments team (with a sub-team) owning three services, and a shop system of two
 * components: what the roll-up views read.
 */

export const paymentsTeam: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', title: 'Payments' },
  spec: { type: 'team', children: ['payments-ledger'] },
};

export const shopSystem: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'shop' },
  spec: { owner: 'group:default/payments' },
};

function member(
  name: string,
  score: number,
  extra: Partial<EntityHealth> = {},
): EntityHealth {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    owner: 'group:default/payments',
    system: 'system:default/shop',
    errors: { events: 100, previousEvents: 90 },
    openIncidents: 0,
    diagnosesNeedingHuman: 0,
    score,
    ...extra,
  };
}

/** checkout is paged; ledger (owned by the sub-team) and gateway are three points apart. */
export const teamHealth: EntityHealth[] = [
  member('checkout', 34, {
    title: 'Checkout',
    errors: { events: 1380, previousEvents: 600 },
    openIncidents: 1,
    diagnosesNeedingHuman: 1,
  }),
  member('ledger', 78, { owner: 'group:default/payments-ledger' }),
  member('gateway', 75),
];

/** Each service's overview: checkout's is the shared fixture's. */
export const overviews: Record<string, EntityOverview> = {
  checkout: overview,
  ledger: {
    ...overview,
    entityRef: 'component:default/ledger',
    incidents: { open: 0, total: 1 },
    deploys: 2,
    diagnoses: { open: 0 },
    latestDiagnosis: undefined,
  },
  gateway: {
    ...overview,
    entityRef: 'component:default/gateway',
    incidents: { open: 0, total: 0 },
    deploys: 3,
    diagnoses: { open: 0 },
    latestDiagnosis: undefined,
  },
};

/** `getOverview` answering for each service of {@link overviews}. */
export const overviewOf: ProductOsApi['getOverview'] = async entity => {
  const found = overviews[entity.name];
  if (!found) throw new Error(`no overview of ${entity.name}`);
  return found;
};

/** The shop's two components' case files: a deploy of one, the other's diagnosis after it. */
export const shopTimelines: Record<string, TimelineItem[]> = {
  checkout: [
    {
      type: 'deployment',
      id: 301,
      time: '2025-03-12T08:00:00.000Z',
      title: 'Deploy 4f2a9c1 to production',
      url: 'https://github.com/acme/checkout/deployments/1839201',
    },
  ],
  gateway: [
    {
      type: 'diagnosis',
      id: 12,
      time: '2025-03-12T08:20:00.000Z',
      title: openDiagnosis.summary,
    },
  ],
};

export const timelineOf: ProductOsApi['getTimeline'] = async entity => ({
  items: shopTimelines[parseEntityRef(entity).name] ?? [],
});
