import type { ChangeEvent } from '@internal/plugin-product-os-common';
import { readAgentConfig } from '../../config';
import type { ErrorGroupRecord } from '../../database/errors/ErrorStore';
import { DAY_MS, HOUR_MS } from '../../time';
import type { Candidate, EntityContext } from '../types';
import { fitCalibration, probability } from './calibrate';
import { dependencyCalls } from './features/dependencyCalls';
import { FeatureContext, liveTimesByEntity } from './features/context';
import { timing } from './features/timing';
import { gatherCandidates } from './gatherCandidates';
import { calibrationModel } from './calibrationModel';
import type { CalibrationModel } from './calibrationTypes';
import { calibrationInput, rankSuspects } from './rankSuspects';
import { trafficExplained } from './trafficRise';

/** Failure modes seen on incidents the agent was never tuned on. */
const config = readAgentConfig();
const MINUTE = 60_000;
const ONSET = Date.parse('2026-11-09T13:14:00Z');
const API = 'component:default/checkout-api';
const PAYMENTS = 'component:default/payments-api';
const entity: EntityContext = {
  entityRef: API,
  name: 'checkout-api',
  dependsOn: [PAYMENTS],
  keyMetrics: [],
};
const payments: EntityContext = {
  entityRef: PAYMENTS,
  name: 'payments-api',
  dependsOn: [],
  keyMetrics: [],
};
let ids = 0;

/** The shipped calibration without its outbound ceiling: the logistic part alone. */
function calibrationModelWithout(): CalibrationModel {
  const { outboundCeiling: _ceiling, ...rest } = calibrationModel;
  return rest;
}

function change(
  patch: Partial<ChangeEvent> & Pick<ChangeEvent, 'kind'>,
  at: number,
): ChangeEvent {
  ids++;
  return {
    id: ids,
    entityRef: API,
    source: 'github',
    externalId: `${patch.kind}-${ids}`,
    title: `${patch.kind} ${ids}`,
    occurredAt: new Date(at).toISOString(),
    files: [],
    ...patch,
  };
}

function errorGroup(
  id: number,
  title: string,
  frames: { filename: string; inApp: boolean }[],
): ErrorGroupRecord {
  return {
    id,
    entityRef: API,
    source: 'sentry',
    fingerprint: `fp${id}`,
    title,
    level: 'error',
    status: 'unresolved',
    firstSeen: ONSET,
    lastSeen: ONSET + HOUR_MS,
    topFrames: frames,
    eventCount: 80,
  };
}

function context(
  groups: ErrorGroupRecord[],
  options: {
    onsetUncertaintyMs?: number;
    dependencyGroups?: Map<
      string,
      { group: ErrorGroupRecord; share: number }[]
    >;
  } = {},
) {
  const shares = groups.map(group => ({ group, share: 1 / groups.length }));
  return {
    entityRef: API,
    onsetAt: ONSET,
    onsetUncertaintyMs: options.onsetUncertaintyMs ?? 0,
    groups: shares,
    dependencyGroups: options.dependencyGroups ?? new Map(),
    dependencyCalls: dependencyCalls(shares, [payments]),
    newGroups: new Map([[API, shares]]),
    metrics: [],
  };
}

function deployment(at: number, files: string[], finishedAfter = 0) {
  const sha = `${(ids + 1).toString(16).padStart(7, 'a')}`;
  const d = change(
    {
      kind: 'deployment',
      sha,
      environment: 'production',
      ...(finishedAfter && {
        finishedAt: new Date(at + finishedAfter).toISOString(),
      }),
    },
    at,
  );
  const pr = change(
    { kind: 'pull_request', sha, status: 'merged', files },
    at - 10 * MINUTE,
  );
  return [d, pr];
}

/** The candidates of `changes` for a trouble of `entity` that began exactly at ONSET. */
function atOnset(changes: ChangeEvent[]) {
  return gatherCandidates({
    entity,
    onsetAt: ONSET,
    onsetUncertaintyMs: 0,
    changes,
    config,
  });
}

/** checkout-api's calls to payments-api failing, through its client of it. */
function failedPaymentsCalls() {
  return errorGroup(1, 'UpstreamError: payments-api responded 502', [
    { filename: 'RestTemplate.java', inApp: false },
    { filename: 'PaymentsApiClient.java', inApp: true },
    { filename: 'CartService.java', inApp: true },
  ]);
}

describe('timing', () => {
  const candidate = (liveAt: number, liveUntil = liveAt) =>
    ({ liveAt, liveUntil, entityRef: API } as Candidate);
  const window = {
    onsetAt: ONSET - 15 * MINUTE,
    onsetUncertaintyMs: 15 * MINUTE,
  } as FeatureContext;

  it('rates a change minutes before the end of the onset window above one half an hour earlier', () => {
    const justBefore = timing(candidate(ONSET - 3 * MINUTE), window).value;
    const earlier = timing(candidate(ONSET - 30 * MINUTE), window).value;
    expect(justBefore).toBeGreaterThan(0.85);
    expect(justBefore).toBeGreaterThan(earlier);
  });

  it('says a deployment went live when it finished, not when it started', () => {
    const started = Date.parse('2026-11-09T13:02:00Z');
    const finished = Date.parse('2026-11-09T13:10:00Z');
    const { description } = timing(candidate(started, finished), window);
    expect(description).toContain('13:10');
    expect(description).not.toContain('went live at 13:02');
  });
});

describe('research on cases it was not tuned on', () => {
  it('ranks a flag flipped minutes before a new error above a deployment hours old that touched its code, in a service that ships hourly', () => {
    const frame = '/src/internal/cart/service.go';
    const old = [
      ...deployment(ONSET - 9 * HOUR_MS, ['internal/orders/store.go']),
      ...deployment(ONSET - 8 * HOUR_MS, ['internal/tax/tax.go']),
      ...deployment(ONSET - 7 * HOUR_MS, ['internal/orders/find.go']),
      ...deployment(ONSET - 6 * HOUR_MS, ['internal/session/load.go']),
      ...deployment(ONSET - 5 * HOUR_MS, ['internal/cart/service.go']),
    ];
    const flag = change(
      {
        kind: 'change',
        source: 'pagerduty',
        title: 'Feature flag cart-v2 enabled for 100% of users',
      },
      ONSET - 2 * MINUTE,
    );
    const candidates = atOnset([...old, flag]);
    const group = errorGroup(1, 'runtime error: invalid memory address', [
      { filename: frame, inApp: true },
    ]);
    const [top] = rankSuspects(candidates, context([group]));
    expect(top.candidate.change.id).toBe(flag.id);
  });

  it('does not count frames against a library bump, and credits an error thrown inside a library', () => {
    const bump = deployment(ONSET - 8 * MINUTE, [
      'services/checkout/requirements.txt',
      'services/checkout/poetry.lock',
    ]);
    const candidates = atOnset(bump);
    const group = errorGroup(1, 'TypeError: unexpected keyword argument', [
      {
        filename:
          '/usr/local/lib/python3.12/site-packages/requests/adapters.py',
        inApp: false,
      },
      { filename: 'checkout/cart/service.py', inApp: true },
    ]);
    const [top] = rankSuspects(candidates, context([group]));
    const overlap = top.features.find(f => f.name === 'code_overlap')!;
    expect(overlap.value).toBeGreaterThan(0);
    expect(calibrationInput(top.score, top.features).codeAgainst).toBe(0);
  });

  it("ranks the dependency's deployment above the entity's own hours-old change to the client whose calls time out", () => {
    const own = deployment(ONSET - 3 * HOUR_MS, [
      'src/main/java/com/acme/checkout/clients/PaymentsApiClient.java',
    ]);
    const upstream = change(
      {
        kind: 'deployment',
        entityRef: PAYMENTS,
        sha: 'fffffff9',
        environment: 'production',
      },
      ONSET - 6 * MINUTE,
    );
    const candidates = atOnset([...own, upstream]);
    const calls = errorGroup(
      1,
      'java.net.SocketTimeoutException: Read timed out',
      [
        { filename: 'RestTemplate.java', inApp: false },
        { filename: 'PaymentsApiClient.java', inApp: true },
        { filename: 'CartService.java', inApp: true },
      ],
    );
    const [top] = rankSuspects(candidates, context([calls]));
    expect(top.candidate.change.id).toBe(upstream.id);
  });

  it("caps the entity's own deployment minutes before calls to a dependency fail, for changing the client making them, at the outbound ceiling", () => {
    const own = deployment(ONSET - 3 * MINUTE, [
      'src/main/java/com/acme/checkout/clients/PaymentsApiClient.java',
    ]);
    const upstream = change(
      {
        kind: 'deployment',
        entityRef: PAYMENTS,
        sha: 'fffffff8',
        environment: 'production',
      },
      ONSET - 2 * HOUR_MS,
    );
    const candidates = atOnset([...own, upstream]);
    const calls = failedPaymentsCalls();
    const model = { ...calibrationModel, outboundCeiling: 0.01 };
    const ranked = rankSuspects(candidates, context([calls]), model);
    const mine = ranked.find(s => s.candidate.change.id === own[0].id)!;
    const theirs = ranked.find(s => s.candidate.change.id === upstream.id)!;
    expect(calibrationInput(mine.score, mine.features).outbound).toBe(true);
    expect(calibrationInput(theirs.score, theirs.features).outbound).toBe(
      false,
    );
    expect(mine.confidence).toBeLessThanOrEqual(0.01);
    // The logistic part alone rates it higher: the client file is the one frame compared.
    expect(
      rankSuspects(
        candidates,
        context([calls]),
        calibrationModelWithout(),
      ).find(s => s.candidate.change.id === own[0].id)!.confidence,
    ).toBeGreaterThan(0.01);
  });

  it("ranks a silent dependency's deployment minutes before its callers' calls fail above the caller's own deployment still rolling out, that changed the client", () => {
    const own = deployment(
      ONSET - 50 * MINUTE,
      ['src/main/java/com/acme/checkout/clients/PaymentsApiClient.java'],
      70 * MINUTE,
    );
    const upstream = change(
      {
        kind: 'deployment',
        entityRef: PAYMENTS,
        sha: 'fffffff7',
        environment: 'production',
        files: ['src/charges/chargesService.ts'],
      },
      ONSET - 6 * MINUTE,
    );
    const candidates = atOnset([...own, upstream]);
    const calls = failedPaymentsCalls();
    const ranked = rankSuspects(candidates, context([calls]));
    expect(ranked[0].candidate.change.id).toBe(upstream.id);
    expect(
      ranked[1].features.find(f => f.name === 'timing')!.facts.stillRollingOut,
    ).toBe(true);
  });

  it('marks a change that went live inside a wide onset window for the calibration', () => {
    const [d, pr] = deployment(ONSET - 40 * MINUTE, ['src/account/copy.ts']);
    const candidates = gatherCandidates({
      entity: { ...entity, dependsOn: [] },
      onsetAt: ONSET - 70 * MINUTE,
      onsetUncertaintyMs: 70 * MINUTE,
      changes: [d, pr],
      config,
    });
    const ranked = rankSuspects(candidates, {
      ...context([]),
      onsetAt: ONSET - 70 * MINUTE,
      onsetUncertaintyMs: 70 * MINUTE,
      metrics: ['checkout_completed'],
    });
    expect(
      calibrationInput(ranked[0].score, ranked[0].features).onsetWidth,
    ).toBeCloseTo(70 / 60, 3);
    expect(liveTimesByEntity(candidates).get(API)).toHaveLength(1);
  });

  function metricDropInput(
    files: string[],
    liveBeforeWindow: number,
    windowMs = 40 * MINUTE,
  ) {
    const windowStart = ONSET - windowMs;
    const [d, pr] = deployment(windowStart - liveBeforeWindow, files);
    const candidates = gatherCandidates({
      entity: { ...entity, dependsOn: [] },
      onsetAt: windowStart,
      onsetUncertaintyMs: windowMs,
      changes: [d, pr],
      config,
    });
    const [top] = rankSuspects(candidates, {
      ...context([]),
      onsetAt: windowStart,
      onsetUncertaintyMs: windowMs,
      metrics: ['checkout_completed'],
    });
    return {
      input: calibrationInput(top.score, top.features),
      code: top.features.find(f => f.name === 'code_overlap')!,
    };
  }

  it('judges a deployment less than a wide window before it, with nothing else for it, as timing only', () => {
    const { input } = metricDropInput(['src/account/copy.ts'], 10 * MINUTE);
    expect(input.timingOnly).toBe(true);
    expect(input.onsetWidth).toBeCloseTo(40 / 60, 3);
    // Further back than the window is wide, timing no longer reaches into it.
    expect(
      metricDropInput(['src/account/copy.ts'], 50 * MINUTE).input.timingOnly,
    ).toBe(false);
  });

  it('counts files about the dropped metric as more than timing only when they are most of the change', () => {
    const few = metricDropInput(
      [
        'src/checkout/CheckoutForm.ts',
        ...Array.from({ length: 7 }, (_, i) => `src/account/part${i}.ts`),
      ],
      -10 * MINUTE,
    );
    expect(few.code.value).toBeGreaterThan(0);
    expect(few.input.timingOnly).toBe(true);
    const most = metricDropInput(
      ['src/checkout/CheckoutForm.ts', 'src/checkout/checkoutSteps.ts'],
      -10 * MINUTE,
    );
    expect(most.input.timingOnly).toBe(false);
  });

  it('gives files about the dropped metric less credit the longer the change ran before the drop', () => {
    const files = ['src/checkout/CheckoutForm.ts'];
    const recent = metricDropInput(files, 30 * MINUTE).code;
    const old = metricDropInput(files, 5 * HOUR_MS).code;
    expect(recent.value).toBeCloseTo(0.5, 5);
    expect(old.value).toBeLessThan(recent.value);
    expect(old.facts.freshness).toBeLessThan(1);
  });
});

describe('operational changes and library bumps whose files are not in the frames', () => {
  it('credits a config push whose title names the part of the code the new error is thrown in, over a deployment hours earlier that touched it', () => {
    const old = deployment(ONSET - 2 * HOUR_MS, [
      'services/checkout/src/rates/ratesService.ts',
    ]);
    const push = change(
      {
        kind: 'change',
        source: 'pagerduty',
        title: 'Config push: rates client timeout 2000ms -> 200ms',
      },
      ONSET - 3 * MINUTE,
    );
    const elsewhere = change(
      {
        kind: 'change',
        source: 'pagerduty',
        title: 'Feature flag promo-banner enabled for 10% of users',
      },
      ONSET - 4 * MINUTE,
    );
    const candidates = atOnset([...old, push, elsewhere]);
    const group = errorGroup(
      1,
      'TypeError: rates.items.map is not a function',
      [
        {
          filename: '/app/services/checkout/src/rates/ratesRepository.ts',
          inApp: true,
        },
        {
          filename: '/app/services/checkout/src/rates/ratesService.ts',
          inApp: true,
        },
      ],
    );
    const ranked = rankSuspects(candidates, context([group]));
    expect(ranked[0].candidate.change.id).toBe(push.id);
    const overlap = (id: number) =>
      ranked
        .find(r => r.candidate.change.id === id)!
        .features.find(f => f.name === 'code_overlap')!;
    expect(overlap(push.id).value).toBeGreaterThan(0);
    expect(overlap(push.id).description).toContain('rates');
    expect(overlap(elsewhere.id).value).toBe(0);
  });

  it('does not take a change naming the service itself for one naming the failing code', () => {
    const scaled = change(
      {
        kind: 'change',
        source: 'pagerduty',
        title: 'Scaled checkout-api to 8 replicas',
      },
      ONSET - 3 * MINUTE,
    );
    const candidates = atOnset([scaled]);
    const group = errorGroup(1, 'Error: checkout failed', [
      { filename: '/app/src/checkout/checkoutService.ts', inApp: true },
    ]);
    const [top] = rankSuspects(candidates, context([group]));
    expect(top.features.find(f => f.name === 'code_overlap')!.value).toBe(0);
  });

  it('credits a library bump shipped with unrelated code when the error is thrown inside a library, but not for a call that failed on its far side', () => {
    const bump = deployment(ONSET - 8 * MINUTE, [
      'services/checkout/src/sessions/sessionsService.ts',
      'services/checkout/package.json',
      'yarn.lock',
    ]);
    const candidates = atOnset(bump);
    const thrownInLibrary = errorGroup(1, 'Error: Unexpected state 7', [
      { filename: '/usr/src/app/node_modules/pg/lib/client.js', inApp: false },
      { filename: '/usr/src/app/dist/tokens/findTokens.js', inApp: true },
    ]);
    const [top] = rankSuspects(candidates, context([thrownInLibrary]));
    const overlap = top.features.find(f => f.name === 'code_overlap')!;
    expect(overlap.value).toBeGreaterThan(0);
    expect(calibrationInput(top.score, top.features).codeAgainst).toBe(0);

    const farSide = errorGroup(2, 'Error: connect ETIMEDOUT 10.0.0.7:443', [
      {
        filename: '/usr/src/app/node_modules/undici/lib/core/connect.js',
        inApp: false,
      },
      { filename: '/usr/src/app/dist/tokens/findTokens.js', inApp: true },
    ]);
    const [outage] = rankSuspects(candidates, context([farSide]));
    expect(
      outage.features.find(f => f.name === 'code_overlap')!.value,
    ).toBeLessThanOrEqual(0);
  });

  it('ranks the change to the code that called into a library above a bump shipped minutes after it', () => {
    const edit = deployment(ONSET - 15 * MINUTE, [
      'services/checkout/src/tokens/findTokens.ts',
    ]);
    const bump = deployment(ONSET - 2 * MINUTE, [
      'services/checkout/src/sessions/sessionsService.ts',
      'services/checkout/package.json',
      'yarn.lock',
    ]);
    const candidates = atOnset([...edit, ...bump]);
    const thrownInLibrary = errorGroup(1, 'Error: Unexpected state 7', [
      { filename: '/usr/src/app/node_modules/pg/lib/client.js', inApp: false },
      { filename: '/usr/src/app/dist/tokens/findTokens.js', inApp: true },
    ]);
    const ranked = rankSuspects(candidates, context([thrownInLibrary]));
    expect(ranked[0].candidate.change.id).toBe(edit[0].id);
    const bumped = ranked.find(r => r.candidate.change.id === bump[0].id)!;
    expect(
      bumped.features.find(f => f.name === 'code_overlap')!.value,
    ).toBeLessThanOrEqual(0);
  });

  it('marks a deployment still rolling out when a wide onset window began for the calibration', () => {
    const [d, pr] = deployment(
      ONSET - 80 * MINUTE,
      ['src/account/copy.ts'],
      40 * MINUTE,
    );
    const candidates = gatherCandidates({
      entity: { ...entity, dependsOn: [] },
      onsetAt: ONSET - 70 * MINUTE,
      onsetUncertaintyMs: 60 * MINUTE,
      changes: [d, pr],
      config,
    });
    const ranked = rankSuspects(candidates, {
      ...context([]),
      onsetAt: ONSET - 70 * MINUTE,
      onsetUncertaintyMs: 60 * MINUTE,
      metrics: ['checkout_completed'],
    });
    const when = ranked[0].features.find(f => f.name === 'timing')!;
    expect(when.facts.stillRollingOut).toBe(true);
    expect(
      calibrationInput(ranked[0].score, ranked[0].features).onsetWidth,
    ).toBeCloseTo(1, 3);
    expect(
      calibrationInput(ranked[0].score, ranked[0].features).timingOnly,
    ).toBe(true);
  });

  it('caps the confidence of a change with only timing inside a wide onset window at how often such changes were the cause', () => {
    const near = { score: 2, code: 0, codeKnown: 0, codeAgainst: 0 };
    const examples = [
      // Alone in an hour-wide window, 2 of 5 were the cause.
      ...[true, true, false, false, false].map(culprit => ({
        ...near,
        margin: 2,
        onsetWidth: 1,
        timingOnly: true,
        culprit,
      })),
      // Changes with the failing code in them, nearly always the cause.
      ...Array.from({ length: 20 }, (_, i) => ({
        score: 5,
        code: 0.8,
        codeKnown: 1,
        codeAgainst: 0,
        margin: 3,
        culprit: i < 19,
      })),
      ...Array.from({ length: 20 }, () => ({
        score: 0.3,
        code: 0,
        codeKnown: 1,
        codeAgainst: 1,
        margin: -2,
        culprit: false,
      })),
    ];
    const model = fitCalibration(examples);
    expect(model.timingOnlyCeiling).toBeCloseTo(3 / 7, 5);
    const alone = { ...near, margin: 2, onsetWidth: 1 };
    expect(
      probability(model, { ...alone, timingOnly: true }),
    ).toBeLessThanOrEqual(3 / 7);
    expect(
      probability(model, {
        score: 5,
        code: 0.8,
        codeKnown: 1,
        codeAgainst: 0,
        margin: 3,
      }),
    ).toBeGreaterThan(0.8);
  });
});

describe('fitCalibration', () => {
  it("fits the outbound ceiling from the entity's own changes ranked first for failed calls, and leaves them out of the logistic part", () => {
    const strong = { score: 4, code: 0.5, codeKnown: 1, codeAgainst: 0 };
    const examples = [
      // Changes with the failing code in them, the cause.
      ...Array.from({ length: 20 }, () => ({
        ...strong,
        margin: 2,
        culprit: true,
      })),
      // The same evidence where the trouble is calls failing on the far side: never the cause.
      ...Array.from({ length: 20 }, () => ({
        ...strong,
        margin: 2,
        outbound: true,
        culprit: false,
      })),
      ...Array.from({ length: 20 }, () => ({
        score: 0.3,
        code: 0,
        codeKnown: 1,
        codeAgainst: 1,
        margin: -2,
        culprit: false,
      })),
    ];
    const model = fitCalibration(examples);
    expect(model.outboundCeiling).toBeCloseTo(1 / 22, 5);
    expect(probability(model, { ...strong, margin: 2 })).toBeGreaterThan(0.9);
    expect(
      probability(model, { ...strong, margin: 2, outbound: true }),
    ).toBeLessThanOrEqual(1 / 22);
  });

  it('caps every change when traffic explains most of the error rise at how often such changes were the cause', () => {
    const strong = { score: 4, code: 0.8, codeKnown: 1, codeAgainst: 0 };
    const examples = [
      ...Array.from({ length: 20 }, () => ({
        ...strong,
        margin: 2,
        culprit: true,
      })),
      // The files in the frames of errors that rose with use, 1 of 8 the cause.
      ...Array.from({ length: 8 }, (_, i) => ({
        ...strong,
        margin: 2,
        traffic: 0.8,
        culprit: i === 0,
      })),
      ...Array.from({ length: 20 }, () => ({
        score: 0.3,
        code: 0,
        codeKnown: 1,
        codeAgainst: 1,
        margin: -2,
        culprit: false,
      })),
    ];
    const model = fitCalibration(examples);
    expect(model.trafficCeiling).toBeCloseTo(2 / 10, 5);
    expect(
      probability(model, { ...strong, margin: 2, traffic: 0.8 }),
    ).toBeLessThanOrEqual(2 / 10);
    // Traffic explaining a third of the rise leaves it to the logistic part.
    expect(
      probability(model, { ...strong, margin: 2, traffic: 0.3 }),
    ).toBeGreaterThan(2 / 10);
  });
});

describe('dependencyCalls', () => {
  it("recognises failures on the far side of a call in Python's, Java's and Go's clients", () => {
    const titles = [
      'botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL: "https://dynamodb.us-east-1.amazonaws.com/"',
      "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='api.stripe.com', port=443): Read timed out. (read timeout=5)",
      'software.amazon.awssdk.core.exception.SdkClientException: Unable to execute HTTP request: Connect to s3.amazonaws.com:443 failed: connect timed out',
      'java.net.UnknownHostException: api.partner.com: Name or service not known',
      'Post "https://api.partner.com/v1/": dial tcp 10.0.3.12:443: i/o timeout',
      'Get "https://api.partner.com/v1/": tls: failed to verify certificate: x509: certificate has expired or is not yet valid',
      'Get "https://api.partner.com/v1/": dial tcp: lookup api.partner.com on 10.0.0.2:53: no such host',
    ];
    const groups = titles.map((title, i) =>
      errorGroup(i + 1, title, [
        { filename: 'checkout/lib/http.py', inApp: true },
      ]),
    );
    const calls = dependencyCalls(
      groups.map(group => ({ group, share: 1 / groups.length })),
      [],
    );
    expect([...calls.outbound].sort((a, b) => a - b)).toEqual(
      groups.map(g => g.id),
    );
    // A caller's own bug is not a failure on the far side.
    const own = dependencyCalls(
      [
        {
          group: errorGroup(9, "KeyError: 'cart_id'", [
            { filename: 'checkout/cart/service.py', inApp: true },
          ]),
          share: 1,
        },
      ],
      [],
    );
    expect(own.outbound.size).toBe(0);
  });
});

describe('trafficExplained', () => {
  const hour = Math.floor(ONSET / HOUR_MS) * HOUR_MS;
  const points = (ratio: number) =>
    Array.from({ length: 8 }, (_, d) =>
      [1, 2, 3].map(h => ({
        metric: 'checkout_completed',
        bucketStart: hour + h * HOUR_MS - d * DAY_MS,
        count: d === 0 ? 200 * ratio : 200,
        users: 0,
      })),
    ).flat();

  it('explains errors rising with traffic, and not errors rising far beyond it', () => {
    const now = hour + 5 * HOUR_MS;
    expect(
      trafficExplained({
        points: points(4),
        onsetAt: ONSET,
        now,
        errorRatio: 4,
      }).share,
    ).toBe(1);
    expect(
      trafficExplained({
        points: points(2),
        onsetAt: ONSET,
        now,
        errorRatio: 30,
      }).share,
    ).toBeLessThan(0.25);
    expect(
      trafficExplained({
        points: points(1),
        onsetAt: ONSET,
        now,
        errorRatio: 4,
      }).share,
    ).toBe(0);
  });
});
