import { Entity } from '@backstage/catalog-model';
import {
  ChangeEvent,
  Diagnosis,
  EntityHealth,
  EntityOverview,
  EntitySyncStatus,
  ErrorGroup,
  ErrorTrend,
  Incident,
  MetricSeries,
  TimelineItem,
} from '@internal/plugin-product-os-common';

/*
 * A checkout service that broke after a deploy: realistic shapes of what the backend returns.
 */

export const ENTITY_REF = 'component:default/checkout';

export const checkoutEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    title: 'Checkout',
    annotations: {
      'sentry.io/project-slug': 'acme/checkout',
      'github.com/project-slug': 'acme/checkout',
      'pagerduty.com/service-id': 'PCHK123',
      'product-os.io/posthog-project-key': 'phc_9xQv2checkout',
      'product-os.io/key-metrics': 'checkout_completed,payment_failed',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments',
  },
};

export const unannotatedEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'legacy-batch' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments',
  },
};

const hour = (h: number) => new Date(Date.UTC(2025, 2, 12, h)).toISOString();
const day = (d: number, h = 9) =>
  new Date(Date.UTC(2025, 2, d, h)).toISOString();

export const deployment: ChangeEvent = {
  id: 301,
  entityRef: ENTITY_REF,
  source: 'github',
  kind: 'deployment',
  externalId: '1839201',
  title: 'Deploy 4f2a9c1 to production',
  author: 'mhernandez',
  sha: '4f2a9c1d2e3b4a5f6789',
  environment: 'production',
  status: 'success',
  url: 'https://github.com/acme/checkout/deployments/1839201',
  occurredAt: day(12, 8),
  finishedAt: new Date(Date.UTC(2025, 2, 12, 8, 6)).toISOString(),
  files: [],
};

export const mergedPullRequest: ChangeEvent = {
  id: 298,
  entityRef: ENTITY_REF,
  source: 'github',
  kind: 'pull_request',
  externalId: '512',
  title: 'Retry card authorisation on gateway timeout',
  author: 'mhernandez',
  sha: '4f2a9c1d2e3b4a5f6789',
  number: 512,
  status: 'merged',
  url: 'https://github.com/acme/checkout/pull/512',
  occurredAt: day(12, 7),
  files: ['services/checkout/src/payments/authorise.ts'],
};

export const release: ChangeEvent = {
  id: 290,
  entityRef: ENTITY_REF,
  source: 'github',
  kind: 'release',
  externalId: 'v2.14.0',
  title: 'v2.14.0',
  author: 'release-bot',
  url: 'https://github.com/acme/checkout/releases/tag/v2.14.0',
  occurredAt: day(10, 15),
  files: [],
};

export const changes: ChangeEvent[] = [deployment, mergedPullRequest, release];

export const errorGroups: ErrorGroup[] = [
  {
    id: 41,
    entityRef: ENTITY_REF,
    source: 'sentry',
    fingerprint: 'a1b2c3',
    title: "TypeError: Cannot read properties of undefined (reading 'token')",
    culprit: 'authoriseCard(src/payments/authorise.ts)',
    level: 'error',
    status: 'unresolved',
    firstSeen: new Date(Date.UTC(2025, 2, 12, 8, 8)).toISOString(),
    lastSeen: day(12, 11),
    firstRelease: 'checkout@2.14.1',
    topFrames: [
      {
        filename: 'src/payments/authorise.ts',
        function: 'authoriseCard',
        lineno: 88,
        inApp: true,
      },
    ],
    permalink: 'https://acme.sentry.io/issues/41/',
    count: 1284,
    isNew: true,
    isRegressed: false,
    sparkline: [
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 212, 530,
      538,
    ],
  },
  {
    id: 17,
    entityRef: ENTITY_REF,
    source: 'sentry',
    fingerprint: 'd4e5f6',
    title:
      'GatewayTimeoutError: upstream payments-gateway timed out after 30000ms',
    culprit: 'POST /api/checkout/pay',
    level: 'error',
    status: 'unresolved',
    firstSeen: day(1),
    lastSeen: day(12, 10),
    firstRelease: 'checkout@2.11.0',
    topFrames: [],
    permalink: 'https://acme.sentry.io/issues/17/',
    count: 96,
    isNew: false,
    isRegressed: true,
    sparkline: [
      3, 4, 2, 5, 4, 3, 4, 6, 3, 2, 4, 5, 3, 4, 5, 3, 4, 2, 3, 4, 5, 6, 4, 2,
    ],
  },
];

export const errorTrend: ErrorTrend = {
  window: { from: day(5, 12), to: day(12, 12) },
  bucket: 'hour',
  points: [
    { time: hour(6), value: 4 },
    { time: hour(7), value: 5 },
    { time: hour(8), value: 220 },
    { time: hour(9), value: 541 },
    { time: hour(10), value: 610 },
  ],
  deploys: [deployment],
};

export const incidents: Incident[] = [
  {
    id: 77,
    entityRef: ENTITY_REF,
    source: 'pagerduty',
    externalId: 'Q2X7ABCD',
    title: 'Checkout error rate above 5%',
    urgency: 'high',
    priority: 'P1',
    status: 'acknowledged',
    createdAt: new Date(Date.UTC(2025, 2, 12, 8, 20)).toISOString(),
    acknowledgedAt: new Date(Date.UTC(2025, 2, 12, 8, 24)).toISOString(),
    assignees: ['Maria Hernandez'],
    url: 'https://acme.pagerduty.com/incidents/Q2X7ABCD',
    timeline: [
      {
        type: 'trigger_log_entry',
        message: 'Triggered through the API',
        occurredAt: new Date(Date.UTC(2025, 2, 12, 8, 20)).toISOString(),
      },
      {
        type: 'acknowledge_log_entry',
        message: 'Acknowledged by Maria Hernandez',
        actor: 'Maria Hernandez',
        occurredAt: new Date(Date.UTC(2025, 2, 12, 8, 24)).toISOString(),
      },
    ],
  },
  {
    id: 70,
    entityRef: ENTITY_REF,
    source: 'pagerduty',
    externalId: 'Q1PLMNOP',
    title: 'Payment gateway latency p99 above 3s',
    urgency: 'low',
    status: 'resolved',
    createdAt: new Date(Date.UTC(2025, 2, 3, 14, 0)).toISOString(),
    acknowledgedAt: new Date(Date.UTC(2025, 2, 3, 14, 12)).toISOString(),
    resolvedAt: new Date(Date.UTC(2025, 2, 3, 16, 45)).toISOString(),
    assignees: ['Tom Okafor'],
    url: 'https://acme.pagerduty.com/incidents/Q1PLMNOP',
    timeline: [
      {
        type: 'trigger_log_entry',
        message: 'Triggered through the API',
        occurredAt: new Date(Date.UTC(2025, 2, 3, 14, 0)).toISOString(),
      },
      {
        type: 'resolve_log_entry',
        message: 'Resolved by Tom Okafor',
        actor: 'Tom Okafor',
        occurredAt: new Date(Date.UTC(2025, 2, 3, 16, 45)).toISOString(),
      },
    ],
  },
];

export const metrics: MetricSeries[] = [
  {
    key: 'checkout_completed',
    points: [
      { time: hour(6), value: 410 },
      { time: hour(7), value: 398 },
      { time: hour(8), value: 212 },
      { time: hour(9), value: 190 },
    ],
    users: [
      { time: hour(6), value: 380 },
      { time: hour(7), value: 371 },
      { time: hour(8), value: 199 },
      { time: hour(9), value: 180 },
    ],
    total: 8420,
    previousTotal: 14033,
  },
  {
    key: 'payment_failed',
    points: [
      { time: hour(6), value: 3 },
      { time: hour(9), value: 44 },
    ],
    users: [
      { time: hour(6), value: 3 },
      { time: hour(9), value: 40 },
    ],
    total: 47,
    previousTotal: 0,
  },
];

export const openDiagnosis: Diagnosis = {
  id: 12,
  entityRef: ENTITY_REF,
  anomalyId: 5,
  summary:
    'Error spike after deploy 4f2a9c1, most likely PR #512 (retry on gateway timeout)',
  confidence: 0.82,
  status: 'open',
  actionability: 'needs_human',
  nextStep: 'Roll back 4f2a9c1 or guard the undefined token in authoriseCard',
  reviewers: ['group:default/payments'],
  verdict: 'suspect',
  owner: 'group:default/payments',
  impact: {
    events: 1284,
    affectedUsers: 310,
    metrics: [
      {
        metric: 'checkout_completed',
        observed: 190,
        expected: 398,
        change: -0.52,
      },
    ],
    incident: {
      id: 77,
      title: 'Checkout error rate above 5%',
      status: 'acknowledged',
      url: 'https://acme.pagerduty.com/incidents/Q2X7ABCD',
    },
  },
  createdAt: new Date(Date.UTC(2025, 2, 12, 8, 40)).toISOString(),
  updatedAt: new Date(Date.UTC(2025, 2, 12, 8, 40)).toISOString(),
  suspects: [
    {
      id: 1,
      rank: 1,
      score: 0.91,
      confidence: 0.82,
      change: mergedPullRequest,
      evidence: [
        {
          id: 101,
          suspectId: 1,
          kind: 'code_overlap',
          description:
            'changed the top in-app frame src/payments/authorise.ts:88',
          weight: 0.6,
          url: 'https://github.com/acme/checkout/pull/512/files',
        },
        {
          id: 102,
          suspectId: 1,
          kind: 'timing',
          description: 'finished 2 min before the onset (08:08 UTC)',
          weight: 0.3,
          url: 'https://github.com/acme/checkout/pull/512',
          facts: {
            liveAt: new Date(Date.UTC(2025, 2, 12, 8, 0)).toISOString(),
            liveUntil: new Date(Date.UTC(2025, 2, 12, 8, 6)).toISOString(),
            onsetAt: new Date(Date.UTC(2025, 2, 12, 8, 8)).toISOString(),
            onsetUncertaintyMinutes: 0,
            minutesBeforeOnset: 2,
          },
        },
      ],
    },
    {
      id: 2,
      rank: 2,
      score: 0.22,
      confidence: 0.12,
      change: release,
      evidence: [
        {
          id: 103,
          suspectId: 2,
          kind: 'size',
          description: 'changed 14 files',
          weight: 0.1,
        },
      ],
    },
  ],
  evidence: [
    {
      id: 104,
      kind: 'error_spike',
      description: 'Error rate rose 14x against the 7-day baseline',
      weight: 1,
      url: 'https://acme.sentry.io/issues/41/',
      facts: {
        onsetAt: new Date(Date.UTC(2025, 2, 12, 8, 8)).toISOString(),
        onsetUncertaintyMinutes: 0,
        magnitude: 14,
      },
    },
  ],
};

export const resolvedDiagnosis: Diagnosis = {
  id: 9,
  entityRef: ENTITY_REF,
  summary: 'Latency rise explained by payments-gateway incident upstream',
  confidence: 0.64,
  status: 'resolved',
  actionability: 'actionable',
  reviewers: [],
  feedback: 'Confirmed with the gateway team',
  verdict: 'not_enough_evidence',
  history: [
    {
      from: 'open',
      to: 'resolved',
      reason: 'Confirmed with the gateway team',
      by: 'user:default/tokafor',
      at: day(4, 10),
    },
  ],
  createdAt: day(3, 15),
  updatedAt: day(4, 10),
  suspects: [],
  evidence: [],
};

export const diagnoses: Diagnosis[] = [openDiagnosis, resolvedDiagnosis];

export const overview: EntityOverview = {
  entityRef: ENTITY_REF,
  window: { from: day(5, 12), to: day(12, 12) },
  errors: { events: 1380, previousEvents: 600, groups: 2, newGroups: 1 },
  incidents: { open: 1, total: 2 },
  deploys: 4,
  diagnoses: { open: 1 },
  latestDiagnosis: openDiagnosis,
};

export const timeline: TimelineItem[] = [
  {
    type: 'release',
    id: 290,
    time: release.occurredAt,
    title: 'v2.14.0',
    url: release.url,
  },
  {
    type: 'pull_request',
    id: 298,
    time: mergedPullRequest.occurredAt,
    title: mergedPullRequest.title,
    url: mergedPullRequest.url,
  },
  {
    type: 'deployment',
    id: 301,
    time: deployment.occurredAt,
    title: deployment.title,
    url: deployment.url,
  },
  {
    type: 'error_group',
    id: 41,
    time: errorGroups[0].firstSeen,
    title: errorGroups[0].title,
    url: errorGroups[0].permalink,
  },
  {
    type: 'anomaly',
    id: 5,
    time: new Date(Date.UTC(2025, 2, 12, 8, 10)).toISOString(),
    title: 'Error spike (14x)',
  },
  {
    type: 'incident',
    id: 77,
    time: incidents[0].createdAt,
    title: incidents[0].title,
    url: incidents[0].url,
  },
  {
    type: 'diagnosis',
    id: 12,
    time: openDiagnosis.createdAt,
    title: openDiagnosis.summary,
  },
];

export const health: EntityHealth[] = [
  {
    entityRef: ENTITY_REF,
    title: 'Checkout',
    kind: 'Component',
    owner: 'group:default/payments',
    system: 'system:default/storefront',
    lifecycle: 'production',
    errors: { events: 1380, previousEvents: 600 },
    openIncidents: 1,
    diagnosesNeedingHuman: 1,
    score: 34,
    inputs: [
      { name: 'openIncidents', value: 1, unit: 'incidents', penalty: 25 },
      { name: 'errorGrowth', value: 1.2, unit: 'doublings', penalty: 12 },
      {
        name: 'diagnosesNeedingHuman',
        value: 1,
        unit: 'diagnoses',
        penalty: 10,
      },
      { name: 'errorVolume', value: 3.14, unit: 'log10 events', penalty: 8 },
      { name: 'newErrorGroups', value: 2, unit: 'groups', penalty: 6 },
      { name: 'regressedErrorGroups', value: 1, unit: 'groups', penalty: 5 },
      { name: 'mttr', value: 0, unit: 'hours', penalty: 0 },
    ],
  },
  {
    entityRef: 'component:default/search',
    title: 'Search',
    kind: 'Component',
    owner: 'group:default/discovery',
    system: 'system:default/storefront',
    lifecycle: 'production',
    errors: { events: 40, previousEvents: 52 },
    openIncidents: 0,
    diagnosesNeedingHuman: 0,
    score: 96,
  },
  {
    entityRef: 'system:default/storefront',
    title: 'Storefront',
    kind: 'System',
    owner: 'group:default/web',
    lifecycle: 'production',
    errors: { events: 1420, previousEvents: 652 },
    openIncidents: 1,
    diagnosesNeedingHuman: 1,
    score: 61,
  },
];

/** Sentry and PagerDuty pulled (PagerDuty's last attempt failed), PostHog not connected. */
export const syncStatus: EntitySyncStatus = {
  entityRef: ENTITY_REF,
  sources: [
    {
      source: 'posthog',
      configured: false,
      howToConnect:
        'Set productOs.sources.posthog.pull.personalApiKey to a PostHog personal API key with the query:read scope.',
    },
    {
      source: 'sentry',
      configured: true,
      pulls: [
        {
          pullId: 'issues',
          scope: 'acme/checkout',
          lastSuccessAt: '2026-12-02T08:57:00Z',
          nextRunAt: '2026-12-02T09:12:00Z',
          items: 42,
        },
      ],
    },
    {
      source: 'pagerduty',
      configured: true,
      pulls: [
        {
          pullId: 'incidents',
          scope: 'PCHK123',
          lastSuccessAt: '2026-12-02T07:40:00Z',
          lastError:
            'PagerDuty GET /incidents failed: 401 Unauthorized (the API key is not valid)',
          lastErrorAt: '2026-12-02T08:50:00Z',
          nextRunAt: '2026-12-02T09:00:00Z',
          items: 7,
        },
      ],
    },
  ],
};
