import { ConfigReader } from '@backstage/config';
import { MockIngestStore } from '@internal/plugin-product-os-node/testUtils';
import { readPagerDutyConfig } from '../config';
import { createPagerDutyPull } from './createIncidentsPull';
import { pullHarness } from './__testUtils__/pullHarness';
import {
  restChangeEvent,
  restIncident,
  restLogEntry,
} from './__testUtils__/restFixtures';

// Each test talks HTTP to a local server whose every answer is checked against PagerDuty's
// description; on a busy machine that takes longer than Jest's default 5 s.
jest.setTimeout(60_000);

const NOW = Date.parse('2026-12-02T09:00:00Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SERVICE = 'PF9KMXH';
const CHECKOUT = 'component:default/checkout';
const ENTITIES = [
  { entityRef: CHECKOUT, annotations: { 'pagerduty.com/service-id': SERVICE } },
];
const ACK_BY: [string, string] = ['PXPGF42', 'Earline Greenholt'];

type Harness = Awaited<ReturnType<typeof pullHarness<MockIngestStore>>>;

/** An incident with its log: triggered, acknowledged, a note, resolved (when it is). */
function addIncident(
  h: Harness,
  id: string,
  createdAt: number,
  status: 'triggered' | 'acknowledged' | 'resolved',
) {
  const ackAt = createdAt + 5 * MINUTE;
  const resolvedAt = createdAt + 40 * MINUTE;
  const statusAt = {
    triggered: createdAt,
    acknowledged: ackAt,
    resolved: resolvedAt,
  }[status];
  h.server.incidents.push(
    restIncident({
      id,
      serviceId: SERVICE,
      createdAt,
      status,
      statusAt,
      priority: 'P2',
    }),
  );
  const log = [
    restLogEntry({
      id: `${id}-T`,
      incidentId: id,
      serviceId: SERVICE,
      type: 'trigger',
      at: createdAt,
    }),
    restLogEntry({
      id: `${id}-N1`,
      incidentId: id,
      serviceId: SERVICE,
      type: 'notify',
      at: createdAt + MINUTE,
    }),
  ];
  if (status !== 'triggered') {
    log.push(
      restLogEntry({
        id: `${id}-A`,
        incidentId: id,
        serviceId: SERVICE,
        type: 'acknowledge',
        at: ackAt,
        by: ACK_BY,
      }),
      restLogEntry({
        id: `${id}-NOTE`,
        incidentId: id,
        serviceId: SERVICE,
        type: 'annotate',
        at: ackAt + MINUTE,
        by: ACK_BY,
        note: 'Rolling back 4f2a9c1',
      }),
    );
  }
  if (status === 'resolved') {
    log.push(
      restLogEntry({
        id: `${id}-R`,
        incidentId: id,
        serviceId: SERVICE,
        type: 'resolve',
        at: resolvedAt,
        by: ACK_BY,
      }),
    );
  }
  h.server.logEntries.set(id, log);
}

describe('PagerDuty pull', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await pullHarness<MockIngestStore>({ entities: ENTITIES, now: NOW });
  });
  afterEach(async () => {
    await h.stop();
    // Every answer the pull read, and every request it made, matched PagerDuty's description.
    if (h.server.problems.length > 0) {
      throw new Error(
        `Not as PagerDuty documents it:\n${h.server.problems.join('\n')}`,
      );
    }
  });

  it('back-fills 90 days of incidents, resolved ones too, with their log as the timeline, and the change events', async () => {
    // 130 incidents over the last 80 days: two pages of 100.
    for (let i = 0; i < 130; i++) {
      addIncident(
        h,
        `PINC${i}`,
        NOW - 80 * DAY + i * 10 * 60 * MINUTE,
        'resolved',
      );
    }
    addIncident(h, 'POPEN', NOW - 2 * 60 * MINUTE, 'acknowledged');
    addIncident(h, 'POLD', NOW - 120 * DAY, 'resolved'); // before the back-fill
    h.server.changeEvents.set(SERVICE, [
      restChangeEvent({
        id: '01CHANGE',
        serviceId: SERVICE,
        at: NOW - 3 * DAY,
        summary: 'Deploy checkout 4f2a9c1',
        sha: '4f2a9c1',
      }),
    ]);

    const results = await h.pullAll();

    expect(results[SERVICE].items).toBe(132);
    const incidents = h.store.incidents;
    expect(incidents).toHaveLength(131);
    expect(incidents.some(i => i.incident.externalId === 'POLD')).toBe(false);
    const resolved = incidents.find(i => i.incident.externalId === 'PINC7')!;
    const created = NOW - 80 * DAY + 7 * 10 * 60 * MINUTE;
    expect(resolved.incident).toEqual({
      entityRef: CHECKOUT,
      source: 'pagerduty',
      externalId: 'PINC7',
      title: 'The server is on fire.',
      urgency: 'high',
      priority: 'P2',
      status: 'resolved',
      createdAt: created,
      acknowledgedAt: created + 5 * MINUTE,
      resolvedAt: created + 40 * MINUTE,
      url: 'https://acme.pagerduty.com/incidents/PINC7',
    });
    // Notifications are left out; the rest reads as the webhook path writes it.
    expect(resolved.timeline.map(e => [e.type, e.message, e.actor])).toEqual([
      ['triggered', 'Triggered: The server is on fire.', 'API Service'],
      ['acknowledged', 'Acknowledged', 'Earline Greenholt'],
      ['annotated', 'Note: Rolling back 4f2a9c1', 'Earline Greenholt'],
      ['resolved', 'Resolved', 'Earline Greenholt'],
    ]);
    const open = incidents.find(i => i.incident.externalId === 'POPEN')!;
    expect(open.incident).toMatchObject({
      status: 'acknowledged',
      assignees: ['Earline Greenholt'],
    });
    expect(h.store.changes).toEqual([
      expect.objectContaining({
        entityRef: CHECKOUT,
        source: 'pagerduty',
        kind: 'change',
        externalId: 'change:01CHANGE',
        title: 'Deploy checkout 4f2a9c1',
        sha: '4f2a9c1',
        occurredAt: NOW - 3 * DAY,
        url: 'https://acme.pagerduty.dev/build/2',
      }),
    ]);
    // Only the open incident is news for the agent; the back-filled history is not.
    expect(h.signals).toEqual([[CHECKOUT, 'incident_triggered']]);
    expect(h.clock.sleeps).toEqual([]);
  });

  it('goes on from its cursor: new incidents, and those that were open, with what happened since', async () => {
    addIncident(h, 'PRESOLVED', NOW - 10 * DAY, 'resolved');
    addIncident(h, 'POPEN', NOW - 2 * 60 * MINUTE, 'triggered');
    const first = await h.pullAll();
    h.server.requests = [];

    // An hour later: POPEN was acknowledged and resolved, PNEW triggered.
    h.clock.at = NOW + 60 * MINUTE;
    const open = h.server.incidents.find(i => i.id === 'POPEN')!;
    Object.assign(
      open,
      restIncident({
        id: 'POPEN',
        serviceId: SERVICE,
        createdAt: NOW - 120 * MINUTE,
        status: 'resolved',
        statusAt: NOW + 30 * MINUTE,
        priority: 'P2',
      }),
    );
    h.server.logEntries.get('POPEN')!.push(
      restLogEntry({
        id: 'POPEN-A',
        incidentId: 'POPEN',
        serviceId: SERVICE,
        type: 'acknowledge',
        at: NOW + 10 * MINUTE,
        by: ACK_BY,
      }),
      restLogEntry({
        id: 'POPEN-R',
        incidentId: 'POPEN',
        serviceId: SERVICE,
        type: 'resolve',
        at: NOW + 30 * MINUTE,
        by: ACK_BY,
      }),
    );
    addIncident(h, 'PNEW', NOW + 50 * MINUTE, 'triggered');

    const second = await h.pullAll({ [SERVICE]: first[SERVICE].cursor });

    const byId = (id: string) =>
      h.store.incidents.find(i => i.incident.externalId === id)!;
    expect(byId('POPEN').incident).toMatchObject({
      status: 'resolved',
      acknowledgedAt: NOW + 10 * MINUTE,
      resolvedAt: NOW + 30 * MINUTE,
      // Resolved incidents list no assignments; the stored assignee stays.
      assignees: ['Earline Greenholt'],
    });
    expect(byId('POPEN').timeline.map(e => e.type)).toEqual([
      'triggered',
      'acknowledged',
      'resolved',
    ]);
    expect(byId('PNEW').incident.status).toBe('triggered');
    expect(h.signals).toEqual([
      [CHECKOUT, 'incident_triggered'],
      [CHECKOUT, 'incident_triggered'],
    ]);
    expect(second[SERVICE].items).toBe(2);
    // Incidents created since the last run (less a margin), the open ones, the one that was open.
    const incidentLists = h.server.requests.filter(r =>
      r.startsWith('GET /incidents?'),
    );
    expect(incidentLists).toHaveLength(2);
    expect(decodeURIComponent(incidentLists[0])).toContain(
      'since=2026-12-02T08:50:00Z',
    );
    expect(decodeURIComponent(incidentLists[1])).toContain(
      'statuses[]=triggered',
    );
    expect(h.server.requests).toContain('GET /incidents/POPEN');
    // The resolved incident of the back-fill is not asked for again.
    expect(h.server.requests.some(r => r.includes('PRESOLVED'))).toBe(false);
    expect(JSON.parse(second[SERVICE].cursor!).open).toEqual(['PNEW']);
  });

  it('changes nothing when it pulls the same again', async () => {
    addIncident(h, 'PA', NOW - 5 * DAY, 'resolved');
    addIncident(h, 'PB', NOW - 60 * MINUTE, 'acknowledged');
    h.server.changeEvents.set(SERVICE, [
      restChangeEvent({
        id: '01C',
        serviceId: SERVICE,
        at: NOW - DAY,
        summary: 'Deploy',
      }),
    ]);
    const first = await h.pullAll();
    const after = structuredClone({
      incidents: h.store.incidents,
      changes: h.store.changes,
    });

    await h.pullAll({ [SERVICE]: first[SERVICE].cursor });
    await h.pullAll();

    expect({ incidents: h.store.incidents, changes: h.store.changes }).toEqual(
      after,
    );
    expect(h.signals).toHaveLength(1);
  });

  it('waits as long as ratelimit-reset says when PagerDuty answers 429, then goes on', async () => {
    addIncident(h, 'PA', NOW - DAY, 'resolved');
    h.clock.at = NOW + 15_000; // 45 s left in the budget's minute
    h.server.spendBudget();

    await h.pullAll();

    // One 429, then the wait PagerDuty named, then the same request again.
    expect(h.server.requests[0]).toMatch(/^GET \/incidents\?/);
    expect(h.server.requests[1]).toBe(h.server.requests[0]);
    expect(h.clock.sleeps).toEqual([45_000]);
    expect(h.store.incidents.map(i => i.incident.externalId)).toEqual(['PA']);
  });

  it('retries 5xx answers and requests that time out, with backoff', async () => {
    addIncident(h, 'PA', NOW - DAY, 'resolved');
    h.server.fail(503, 1);
    h.server.fail('hang', 1);
    h.server.fail(502, 1);

    await h.pullAll();

    expect(h.clock.sleeps).toEqual([1000, 2000, 4000]);
    expect(h.store.incidents).toHaveLength(1);
  });

  it('keeps what is stored, and its cursor, when PagerDuty is down', async () => {
    addIncident(h, 'PA', NOW - DAY, 'resolved');
    await h.pullAll();
    const before = structuredClone(h.store.incidents);

    h.server.fail(500, 100);
    await expect(h.pullAll({ [SERVICE]: 'cursor' })).rejects.toThrow(
      'PagerDuty GET /incidents failed after 5 attempts: 500 Internal Server Error',
    );
    expect(h.store.incidents).toEqual(before);
  });
});

describe('PagerDuty pull configuration', () => {
  const read = (pull?: object) =>
    readPagerDutyConfig(
      new ConfigReader({ productOs: { sources: { pagerduty: { pull } } } }),
    ).pull;

  it('says how to connect it without a token', () => {
    expect(createPagerDutyPull(read())).toEqual({
      configured: false,
      howToConnect: expect.stringContaining(
        'productOs.sources.pagerduty.pull.token',
      ),
      annotations: ['pagerduty.com/service-id'],
    });
  });

  it('calls the US or EU host, or the configured base URL', () => {
    expect(read({ token: 't' })?.baseUrl).toBe('https://api.pagerduty.com');
    expect(read({ token: 't', region: 'eu' })?.baseUrl).toBe(
      'https://api.eu.pagerduty.com',
    );
    expect(
      read({ token: 't', baseUrl: 'https://pd-proxy.internal/' })?.baseUrl,
    ).toBe('https://pd-proxy.internal');
    expect(() => read({ token: 't', region: 'apac' })).toThrow(
      'must be "us" or "eu"',
    );
  });

  it('pulls entities naming the same services once', () => {
    const source = createPagerDutyPull(read({ token: 't' }));
    if (!source.configured) throw new Error('configured');
    const scopeOf = (value: string) =>
      source.pulls[0].scopeOf({
        entityRef: 'x',
        annotations: { 'pagerduty.com/service-id': value },
      });
    expect(scopeOf('PB, PA')).toBe('PA,PB');
    expect(scopeOf('PA,PB')).toBe('PA,PB');
    expect(scopeOf(' ')).toBeUndefined();
  });
});
