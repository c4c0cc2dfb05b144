import { Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  DoraFigures,
  DoraWindow,
  EntityHealth,
  HealthInput,
  Rollup,
  TimelineItem,
} from '@internal/plugin-product-os-common';
import { ProductOsApi } from '../api';
import { openDiagnosis } from './fixtures';

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

function figures(extra: Partial<DoraFigures> = {}): DoraFigures {
  return {
    deployments: 0,
    deploymentDays: 0,
    deploymentFrequency: 0,
    leadTimeMs: null,
    changes: 0,
    failedDeployments: 0,
    changeFailureRate: null,
    recoveryTimeMs: null,
    recoveries: 0,
    reworkDeployments: 0,
    reworkRate: null,
    ...extra,
  };
}

function doraWindow(
  days: number,
  current: DoraFigures,
  previous: DoraFigures,
): DoraWindow {
  return {
    days,
    from: new Date(Date.UTC(2025, 2, 13) - days * 86_400_000).toISOString(),
    to: '2025-03-13T00:00:00.000Z',
    current,
    previous,
    bands: {
      deploymentFrequency: current.deployments ? 'high' : null,
      leadTime: current.leadTimeMs === null ? null : 'elite',
      changeFailureRate: current.changeFailureRate === null ? null : 'low',
      recoveryTime: current.recoveryTimeMs === null ? null : 'high',
      overall: current.deployments ? 'low' : null,
    },
  };
}

const input = (
  name: HealthInput['name'],
  value: number,
  unit: string,
  penalty: number,
): HealthInput => ({ name, value, unit, penalty });

/**
 * The payments team's roll-up as the backend answers it: checkout is paged; gateway (75) and
 * ledger (78, the sub-team's) are within the 5-point margin, so they share rank 2. Their week's
 * deployments (5, 3, 1) add up to the team's 9; the figures are from the 14:05 snapshot.
 */
export const teamRollup: Rollup = {
  subjectRef: 'group:default/payments',
  kind: 'group',
  groups: ['group:default/payments', 'group:default/payments-ledger'],
  tieMargin: 5,
  score: 62.3,
  members: [
    {
      entityRef: 'component:default/checkout',
      title: 'Checkout',
      kind: 'Component',
      owner: 'group:default/payments',
      system: 'system:default/shop',
      score: 34,
      rank: 1,
      inputs: [
        input('openIncidents', 1, 'incidents', 25),
        input('diagnosesNeedingHuman', 1, 'diagnoses', 10),
        input('errorGrowth', 1.2, 'doublings', 12),
        input('errorVolume', 3.1, 'log10 events', 8),
        input('newErrorGroups', 2, 'groups', 6),
        input('regressedErrorGroups', 1, 'groups', 5),
      ],
      openIncidents: 1,
      diagnosesNeedingHuman: 1,
      deployments: 5,
      incidents: 2,
    },
    {
      entityRef: 'component:default/gateway',
      kind: 'Component',
      owner: 'group:default/payments',
      system: 'system:default/shop',
      score: 75,
      rank: 2,
      inputs: [
        input('errorGrowth', 2, 'doublings', 20),
        input('errorVolume', 2, 'log10 events', 5),
      ],
      openIncidents: 0,
      diagnosesNeedingHuman: 0,
      deployments: 3,
      incidents: 0,
    },
    {
      entityRef: 'component:default/ledger',
      kind: 'Component',
      owner: 'group:default/payments-ledger',
      score: 78,
      rank: 2,
      inputs: [
        input('errorGrowth', 1.7, 'doublings', 17),
        input('errorVolume', 2, 'log10 events', 5),
      ],
      openIncidents: 0,
      diagnosesNeedingHuman: 0,
      deployments: 1,
      incidents: 0,
    },
  ],
  dora: {
    subjectRef: 'group:default/payments',
    windows: [
      doraWindow(
        7,
        figures({
          deployments: 9,
          deploymentDays: 5,
          deploymentFrequency: 5,
          leadTimeMs: 5_400_000,
          changes: 12,
          failedDeployments: 3,
          changeFailureRate: 1 / 3,
          recoveryTimeMs: 7_200_000,
          recoveries: 2,
          reworkDeployments: 1,
          reworkRate: 1 / 9,
        }),
        figures({ deployments: 6, deploymentDays: 4, deploymentFrequency: 4 }),
      ),
      doraWindow(
        30,
        figures({
          deployments: 30,
          deploymentDays: 18,
          deploymentFrequency: 4.2,
        }),
        figures(),
      ),
      doraWindow(90, figures(), figures()),
    ],
  },
  openDiagnoses: 2,
  diagnosesNeedingHuman: 1,
  openIncidents: 1,
  asOf: '2025-03-12T14:05:00.000Z',
  history: [
    { day: '2025-03-10T00:00:00.000Z', score: 90, inputs: [], dora: [] },
    {
      day: '2025-03-11T00:00:00.000Z',
      score: 85,
      inputs: [input('diagnosesNeedingHuman', 0, 'diagnoses', 0)],
      dora: [],
    },
    {
      day: '2025-03-12T00:00:00.000Z',
      score: 62.3,
      inputs: [
        input('openIncidents', 1, 'incidents', 25),
        input('diagnosesNeedingHuman', 1, 'diagnoses', 10),
      ],
      dora: [],
    },
  ],
};

/** The shop system's roll-up: checkout and gateway. */
export const shopRollup: Rollup = {
  ...teamRollup,
  subjectRef: 'system:default/shop',
  kind: 'system',
  groups: undefined,
  members: teamRollup.members.filter(m => m.system === 'system:default/shop'),
  dora: { ...teamRollup.dora, subjectRef: 'system:default/shop' },
};
