import type { ChangeEvent } from '@internal/plugin-product-os-common';
import { readAgentConfig } from '../../config';
import type { ErrorGroupRecord } from '../../database/errors/ErrorStore';
import { HOUR_MS } from '../../time';
import type { EntityContext } from '../types';
import {
  brierScore,
  calibrate,
  fitCalibration,
  margins,
  probability,
} from './calibrate';
import { dependencyCalls } from './features/dependencyCalls';
import { gatherCandidates } from './gatherCandidates';
import { isOpaque, pathMatch } from './paths';
import { calibrationInput, rankSuspects } from './rankSuspects';

const config = readAgentConfig();
const MINUTE = 60_000;
const ONSET = Date.parse('2026-11-09T03:14:00Z');
const API = 'component:default/checkout-api';
const PAYMENTS = 'component:default/payments-api';
const payments: EntityContext = {
  entityRef: PAYMENTS,
  name: 'acme-payments-api',
  dependsOn: [],
  keyMetrics: [],
};
const entity: EntityContext = {
  entityRef: API,
  name: 'checkout-api',
  dependsOn: [PAYMENTS],
  keyMetrics: [],
  owner: 'group:default/team-checkout',
};

let ids = 0;
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
  frames: string[],
  patch: Partial<ErrorGroupRecord> = {},
): ErrorGroupRecord {
  return {
    id,
    entityRef: API,
    source: 'sentry',
    fingerprint: `fp${id}`,
    title: 'TypeError',
    level: 'error',
    status: 'unresolved',
    firstSeen: ONSET,
    lastSeen: ONSET + HOUR_MS,
    topFrames: frames.map(filename => ({ filename, inApp: true })),
    eventCount: 80,
    ...patch,
  };
}

describe('paths', () => {
  it('matches a changed file to a deployed frame by path suffix, compiled or not', () => {
    expect(
      pathMatch(
        '/app/services/checkout/src/cart/total.ts',
        'services/checkout/src/cart/total.ts',
      ),
    ).toBe(1);
    expect(
      pathMatch(
        '/usr/src/app/dist/cart/total.js',
        'services/checkout/src/cart/total.ts',
      ),
    ).toBe(1);
    expect(
      pathMatch(
        'app:///src/components/Cart/CartPage.tsx',
        'apps/storefront/src/components/Cart/CartPage.tsx',
      ),
    ).toBe(1);
    // Only the file name: a weak match, and none at all for a name as common as index.ts.
    expect(
      pathMatch('/app/lib/total.ts', 'services/checkout/src/cart/total.ts'),
    ).toBe(0.3);
    expect(
      pathMatch('/app/lib/index.ts', 'services/checkout/src/cart/index.ts'),
    ).toBe(0);
    expect(
      pathMatch(
        '/app/services/checkout/src/cart/total.ts',
        'services/checkout/src/cart/tax.ts',
      ),
    ).toBe(0);
  });

  it('recognises built bundles no changed file can match', () => {
    expect(isOpaque('app:///static/js/main.8f3a2b1c.js')).toBe(true);
    expect(isOpaque('https://cdn.example.com/app.min.js')).toBe(true);
    expect(isOpaque('/app/services/checkout/src/cart/total.ts')).toBe(false);
  });
});

describe('gatherCandidates', () => {
  it('makes deployments the candidates, with the merges they shipped, in production only', () => {
    const prA = change(
      {
        kind: 'pull_request',
        number: 811,
        sha: 'aaaaaaa1',
        status: 'merged',
        files: ['a.ts'],
      },
      ONSET - 5 * HOUR_MS,
    );
    const prB = change(
      {
        kind: 'pull_request',
        number: 812,
        sha: 'bbbbbbb2',
        status: 'merged',
        author: 'dana',
        files: ['b.ts'],
      },
      ONSET - 40 * MINUTE,
    );
    const openPr = change(
      { kind: 'pull_request', number: 813, status: 'open', files: ['c.ts'] },
      ONSET - 30 * MINUTE,
    );
    const first = change(
      {
        kind: 'deployment',
        sha: 'aaaaaaa1',
        environment: 'production',
        status: 'success',
      },
      ONSET - 4 * HOUR_MS,
    );
    const second = change(
      {
        kind: 'deployment',
        sha: 'bbbbbbb2',
        environment: 'production',
        status: 'success',
        finishedAt: new Date(ONSET - 4 * MINUTE).toISOString(),
      },
      ONSET - 10 * MINUTE,
    );
    const staging = change(
      {
        kind: 'deployment',
        sha: 'bbbbbbb2',
        environment: 'staging',
        status: 'success',
      },
      ONSET - 25 * MINUTE,
    );
    const failed = change(
      {
        kind: 'deployment',
        sha: 'ccccccc3',
        environment: 'production',
        status: 'failure',
      },
      ONSET - 8 * MINUTE,
    );
    const later = change(
      {
        kind: 'deployment',
        sha: 'ddddddd4',
        environment: 'production',
        status: 'success',
      },
      ONSET + 10 * MINUTE,
    );
    const flag = change(
      { kind: 'change', source: 'pagerduty', title: 'Flag on' },
      ONSET - 2 * MINUTE,
    );
    const upstream = change(
      {
        kind: 'pull_request',
        entityRef: PAYMENTS,
        number: 77,
        sha: 'eeeeeee5',
        status: 'merged',
        files: ['p.ts'],
      },
      ONSET - HOUR_MS,
    );
    const candidates = gatherCandidates({
      entity,
      onsetAt: ONSET,
      onsetUncertaintyMs: 0,
      changes: [
        prA,
        prB,
        openPr,
        first,
        second,
        staging,
        failed,
        later,
        flag,
        upstream,
      ],
      config,
    });
    expect(candidates.map(c => c.change.id)).toEqual([
      first.id,
      second.id,
      flag.id,
      upstream.id,
    ]);
    const shipped = candidates[1];
    expect(shipped).toMatchObject({
      files: ['b.ts'],
      author: 'dana',
      pullRequest: { number: 812 },
      liveUntil: ONSET - 4 * MINUTE,
      upstream: false,
    });
    expect(candidates[3]).toMatchObject({
      upstream: true,
      entityRef: PAYMENTS,
      pullRequest: { number: 77 },
    });
  });
});

describe('rankSuspects', () => {
  const context = (groups: ErrorGroupRecord[]) => ({
    entityRef: API,
    onsetAt: ONSET,
    onsetUncertaintyMs: 0,
    groups: groups.map(group => ({ group, share: 1 / groups.length })),
    dependencyGroups: new Map(),
    dependencyCalls: dependencyCalls(
      groups.map(group => ({ group, share: 1 / groups.length })),
      [payments],
    ),
    newGroups: new Map([
      [
        API,
        groups
          .filter(g => g.firstSeen >= ONSET - HOUR_MS)
          .map(group => ({ group, share: 1 })),
      ],
    ]),
    metrics: [],
  });

  it('ranks the change to the failing code above a later one that only comes closer in time', () => {
    const group = errorGroup(
      1,
      [
        '/app/services/checkout/src/cart/total.ts',
        '/app/services/checkout/src/cart/cartService.ts',
      ],
      { firstRelease: 'bbbbbbb2' },
    );
    const culprit = change(
      { kind: 'deployment', sha: 'aaaaaaa1', environment: 'production' },
      ONSET - 30 * MINUTE,
    );
    const pr = change(
      {
        kind: 'pull_request',
        number: 812,
        sha: 'aaaaaaa1',
        status: 'merged',
        author: 'dana',
        files: ['services/checkout/src/cart/total.ts'],
      },
      ONSET - 50 * MINUTE,
    );
    const decoy = change(
      { kind: 'deployment', sha: 'bbbbbbb2', environment: 'production' },
      ONSET - 6 * MINUTE,
    );
    const decoyPr = change(
      {
        kind: 'pull_request',
        number: 813,
        sha: 'bbbbbbb2',
        status: 'merged',
        files: ['services/checkout/src/search/query.ts'],
      },
      ONSET - 20 * MINUTE,
    );
    const candidates = gatherCandidates({
      entity,
      onsetAt: ONSET,
      onsetUncertaintyMs: 0,
      changes: [culprit, pr, decoy, decoyPr],
      config,
    });
    const ranked = rankSuspects(candidates, context([group]));
    expect(ranked.map(r => r.candidate.change.id)).toEqual([
      culprit.id,
      decoy.id,
    ]);
    const overlap = ranked[0].features.find(f => f.name === 'code_overlap')!;
    expect(overlap.value).toBeCloseTo(1 / 1.5, 5);
    expect(overlap.description).toBe(
      "changed 1 of the 2 top frames' files (total.ts)",
    );
    // The decoy shipped the release the errors were first seen in, but touched none of the frames.
    expect(
      ranked[1].features.find(f => f.name === 'release_match')!.value,
    ).toBe(1);
    expect(
      ranked[1].features.find(f => f.name === 'code_overlap')!.value,
    ).toBeLessThan(0);
    expect(ranked[0].confidence).toBeGreaterThan(ranked[1].confidence);
  });

  it('gives no confidence on timing alone to a deployment just before an outage in code it never touched', () => {
    // A third party times out: thrown from the HTTP client, first seen in the release of a
    // deployment that went out minutes before and changed other code.
    const group = errorGroup(1, [], {
      firstRelease: 'abcdef12',
      title: 'Error: connect ETIMEDOUT 52.84.150.12:443',
      topFrames: [
        {
          filename:
            '/usr/src/app/node_modules/stripe/lib/net/NodeHttpClient.js',
          inApp: false,
        },
        { filename: '/app/services/checkout/src/lib/http.ts', inApp: true },
        {
          filename: '/app/services/checkout/src/pricing/pricingService.ts',
          inApp: true,
        },
      ],
    });
    const deploy = change(
      { kind: 'deployment', sha: 'abcdef12', environment: 'production' },
      ONSET - 12 * MINUTE,
    );
    const pr = change(
      {
        kind: 'pull_request',
        number: 901,
        sha: 'abcdef12',
        status: 'merged',
        files: [
          'services/checkout/src/discounts/discountsService.ts',
          'services/checkout/src/cart/applyCart.ts',
        ],
      },
      ONSET - HOUR_MS,
    );
    const [only] = rankSuspects(
      gatherCandidates({
        entity,
        onsetAt: ONSET,
        onsetUncertaintyMs: 0,
        changes: [deploy, pr],
        config,
      }),
      context([group]),
    );
    expect(only.features.find(f => f.name === 'release_match')!.value).toBe(1);
    expect(only.features.find(f => f.name === 'novelty')!.value).toBe(1);
    expect(only.confidence).toBeLessThan(config.minConfidence);
  });

  it('suspects a dependency that reports no errors when the failing code is a call to it', () => {
    const group = errorGroup(1, [], {
      title: 'UpstreamError: payments-api responded 502 Bad Gateway',
      topFrames: [
        {
          filename: '/usr/src/app/node_modules/undici/lib/fetch/index.js',
          inApp: false,
        },
        {
          filename: '/app/services/checkout/src/clients/paymentsApiClient.ts',
          inApp: true,
        },
        {
          filename: '/app/services/checkout/src/orders/ordersService.ts',
          inApp: true,
        },
        {
          filename: '/app/services/checkout/src/routes/ordersRoutes.ts',
          inApp: true,
        },
      ],
    });
    // The entity's own deployment touched callers of the failing call, not the call itself.
    const own = change(
      {
        kind: 'pull_request',
        number: 20,
        sha: 'c3c3c3c',
        status: 'merged',
        files: [
          'services/checkout/src/orders/ordersService.ts',
          'services/checkout/src/routes/ordersRoutes.ts',
        ],
      },
      ONSET - 25 * MINUTE,
    );
    const upstream = change(
      {
        kind: 'pull_request',
        entityRef: PAYMENTS,
        number: 21,
        sha: 'd4d4d4d',
        status: 'merged',
        files: ['services/payments/src/charges/chargesService.ts'],
      },
      ONSET - 8 * MINUTE,
    );
    const ranked = rankSuspects(
      gatherCandidates({
        entity,
        onsetAt: ONSET,
        onsetUncertaintyMs: 0,
        changes: [own, upstream],
        config,
      }),
      context([group]),
    );
    expect(ranked.map(r => r.candidate.change.id)).toEqual([
      upstream.id,
      own.id,
    ]);
    expect(
      ranked[0].features.find(f => f.name === 'code_overlap')!.value,
    ).toBeGreaterThan(0);
    expect(
      ranked[1].features.find(f => f.name === 'code_overlap')!.value,
    ).toBeLessThan(0);
    expect(ranked[0].confidence).toBeGreaterThan(ranked[1].confidence);
  });

  it("counts the entity's own readable failing code against a dependency's change unless it calls the dependency", () => {
    const own = errorGroup(1, [
      '/app/services/checkout/src/cart/total.ts',
      '/app/services/checkout/src/routes/cartRoutes.ts',
    ]);
    const call = errorGroup(
      2,
      ['/app/services/checkout/src/clients/paymentsApiClient.ts'],
      { title: 'UpstreamError: payments-api responded 503' },
    );
    const upstream = change(
      {
        kind: 'pull_request',
        entityRef: PAYMENTS,
        number: 40,
        sha: 'f6f6f6f',
        status: 'merged',
        files: ['services/payments/src/charges/chargesService.ts'],
      },
      ONSET - 10 * MINUTE,
    );
    const candidates = gatherCandidates({
      entity,
      onsetAt: ONSET,
      onsetUncertaintyMs: 0,
      changes: [upstream],
      config,
    });
    const inputFor = (groups: ErrorGroupRecord[]) => {
      const [only] = rankSuspects(candidates, context(groups));
      return calibrationInput(only.score, only.features);
    };
    expect(inputFor([own])).toMatchObject({ codeKnown: 1, codeAgainst: 1 });
    expect(inputFor([call])).toMatchObject({ codeAgainst: 0 });
    const mixed = inputFor([own, call]);
    expect(mixed.code).toBeGreaterThan(0);
    expect(mixed.codeAgainst).toBe(0);
  });

  it('suspects a change minutes before an alert over one long before the window the trouble began in', () => {
    // An incident: the trouble began some time in the 15 minutes before it was triggered.
    const windowStart = ONSET - 15 * MINUTE;
    const flag = change(
      {
        kind: 'change',
        source: 'pagerduty',
        title: 'Lowered request timeout to 200ms',
      },
      ONSET - 6 * MINUTE,
    );
    const earlier = change(
      {
        kind: 'pull_request',
        number: 30,
        sha: 'e5e5e5e',
        status: 'merged',
        files: ['services/checkout/src/cart/cartService.ts'],
      },
      windowStart - 40 * MINUTE,
    );
    const ranked = rankSuspects(
      gatherCandidates({
        entity,
        onsetAt: windowStart,
        onsetUncertaintyMs: 15 * MINUTE,
        changes: [flag, earlier],
        config,
      }),
      { ...context([]), onsetAt: windowStart, onsetUncertaintyMs: 15 * MINUTE },
    );
    expect(ranked.map(r => r.candidate.change.id)).toEqual([
      flag.id,
      earlier.id,
    ]);
    const timingOf = (i: number) =>
      ranked[i].features.find(f => f.name === 'timing')!.value;
    expect(timingOf(0)).toBeGreaterThan(0.6);
    expect(timingOf(0)).toBeGreaterThan(timingOf(1));
  });

  it('does not take a change to a caller of a call that timed out on the far side for the cause', () => {
    const group = errorGroup(1, [], {
      title: 'Error: connect ETIMEDOUT 52.84.150.12:443',
      topFrames: [
        {
          filename:
            '/usr/src/app/node_modules/stripe/lib/net/NodeHttpClient.js',
          inApp: false,
        },
        { filename: '/app/services/checkout/src/lib/http.ts', inApp: true },
        {
          filename: '/app/services/checkout/src/pricing/pricingService.ts',
          inApp: true,
        },
      ],
    });
    const deploy = change(
      { kind: 'deployment', sha: 'abcdef34', environment: 'production' },
      ONSET - 15 * MINUTE,
    );
    const pr = change(
      {
        kind: 'pull_request',
        number: 902,
        sha: 'abcdef34',
        status: 'merged',
        files: ['services/checkout/src/pricing/pricingService.ts'],
      },
      ONSET - HOUR_MS,
    );
    const [only] = rankSuspects(
      gatherCandidates({
        entity,
        onsetAt: ONSET,
        onsetUncertaintyMs: 0,
        changes: [deploy, pr],
        config,
      }),
      context([group]),
    );
    expect(
      only.features.find(f => f.name === 'code_overlap')!.value,
    ).toBeLessThan(0);
    expect(only.confidence).toBeLessThan(config.minConfidence);
  });

  it('counts code against a change only for the share of the trouble whose frames are readable', () => {
    const readable = errorGroup(1, [
      '/app/services/checkout/src/cart/total.ts',
    ]);
    const minified = errorGroup(2, [], {
      topFrames: [
        { filename: 'app:///static/js/main.8f3a2b1c.js', inApp: true },
      ],
    });
    const elsewhere = change(
      {
        kind: 'pull_request',
        number: 10,
        sha: 'a1a1a1a',
        status: 'merged',
        files: ['services/checkout/src/search/query.ts'],
      },
      ONSET - 20 * MINUTE,
    );
    const onTarget = change(
      {
        kind: 'pull_request',
        number: 11,
        sha: 'b2b2b2b',
        status: 'merged',
        files: ['services/checkout/src/cart/total.ts'],
      },
      ONSET - 40 * MINUTE,
    );
    const ranked = rankSuspects(
      gatherCandidates({
        entity,
        onsetAt: ONSET,
        onsetUncertaintyMs: 0,
        changes: [elsewhere, onTarget],
        config,
      }),
      {
        ...context([readable, minified]),
        groups: [
          { group: readable, share: 0.25 },
          { group: minified, share: 0.75 },
        ],
      },
    );
    const inputOf = (id: number) => {
      const suspect = ranked.find(r => r.candidate.change.id === id)!;
      return calibrationInput(suspect.score, suspect.features);
    };
    expect(inputOf(elsewhere.id)).toMatchObject({
      codeKnown: 0.25,
      codeAgainst: 0.25,
    });
    expect(inputOf(onTarget.id)).toMatchObject({
      codeKnown: 0.25,
      codeAgainst: 0,
    });
  });

  it("counts the trouble a change's files are not in against it even when it touched a minor error", () => {
    const outage = errorGroup(1, [
      '/app/services/checkout/src/lib/http.ts',
      '/app/services/checkout/src/cart/cartService.ts',
    ]);
    const minor = errorGroup(2, ['/app/services/checkout/src/search/query.ts']);
    const deploy = change(
      {
        kind: 'pull_request',
        number: 12,
        sha: 'c4c4c4c',
        status: 'merged',
        files: ['services/checkout/src/search/query.ts'],
      },
      ONSET - 5 * MINUTE,
    );
    const [only] = rankSuspects(
      gatherCandidates({
        entity,
        onsetAt: ONSET,
        onsetUncertaintyMs: 0,
        changes: [deploy],
        config,
      }),
      {
        ...context([outage, minor]),
        groups: [
          { group: outage, share: 0.9 },
          { group: minor, share: 0.1 },
        ],
      },
    );
    expect(
      only.features.find(f => f.name === 'code_overlap')!.value,
    ).toBeGreaterThan(0);
    expect(calibrationInput(only.score, only.features)).toMatchObject({
      codeKnown: 1,
      codeAgainst: 0.9,
    });
  });

  it('is not sure of anything when a lone change shares no code with the failure', () => {
    const group = errorGroup(1, ['/app/services/checkout/src/lib/http.ts']);
    const unrelated = change(
      {
        kind: 'pull_request',
        number: 9,
        sha: 'f0f0f0f',
        status: 'merged',
        files: ['services/checkout/src/search/query.ts'],
      },
      ONSET - 3 * HOUR_MS,
    );
    const [only] = rankSuspects(
      gatherCandidates({
        entity,
        onsetAt: ONSET,
        onsetUncertaintyMs: 0,
        changes: [unrelated],
        config,
      }),
      context([group]),
    );
    expect(only.confidence).toBeLessThan(config.minConfidence);
  });
});

describe('calibrate', () => {
  it('measures each candidate against the best other one, or against no change', () => {
    expect(margins([3, 1, 3])).toEqual([0, -2, 0]);
    expect(margins([4, 1])).toEqual([3, -3]);
    expect(margins([2])).toEqual([2]);
  });

  it("never gives one anomaly's candidates more than certainty in total", () => {
    const model = {
      intercept: 0,
      score: 5,
      margin: 0,
      code: 0,
      codeKnown: 0,
      codeAgainst: 0,
    };
    const confidences = calibrate(
      [
        { score: 3, code: 0, codeKnown: 0, codeAgainst: 0 },
        { score: 3, code: 0, codeKnown: 0, codeAgainst: 0 },
      ],
      model,
    );
    expect(confidences[0] + confidences[1]).toBeCloseTo(1, 10);
  });

  it('lets traffic explaining part of an error rise discount strong evidence, not only weak', () => {
    const base = { code: 0, codeKnown: 1, codeAgainst: 0, margin: 2 };
    const examples = [];
    for (let i = 0; i < 40; i++) {
      // Without traffic, strong candidates are the cause and weak ones are not ...
      examples.push({ ...base, score: 4, traffic: 0, culprit: i % 10 !== 0 });
      examples.push({ ...base, score: 1, traffic: 0, culprit: i % 10 === 0 });
      // ... and with traffic explaining part of the rise (most of it is the traffic ceiling's),
      // strong ones are no likelier than weak ones, which a fixed traffic term cannot say.
      examples.push({
        ...base,
        score: 4,
        traffic: 0.45,
        culprit: i % 10 === 0,
      });
      examples.push({
        ...base,
        score: 1,
        traffic: 0.45,
        culprit: i % 10 === 0,
      });
    }
    const model = fitCalibration(examples, { iterations: 4000, l2: 0 });
    expect(model.trafficScore).toBeLessThan(0);
    const strongInSurge = probability(model, {
      ...base,
      score: 4,
      traffic: 0.45,
    });
    expect(strongInSurge).toBeLessThan(0.3);
    expect(
      probability(model, { ...base, score: 4, traffic: 0 }),
    ).toBeGreaterThan(0.8);
  });

  it('recovers a logistic relation from labelled examples', () => {
    const truth = {
      intercept: -3,
      score: 1.5,
      margin: 0,
      code: 0,
      codeKnown: 0,
      codeAgainst: 0,
    };
    const examples = [];
    for (let i = 0; i < 400; i++) {
      const score = (i % 40) / 5;
      const p = probability(truth, {
        score,
        margin: 0,
        code: 0,
        codeKnown: 0,
        codeAgainst: 0,
      });
      // Deterministic labels in the right proportion for each score.
      examples.push({
        score,
        margin: 0,
        code: 0,
        codeKnown: 0,
        codeAgainst: 0,
        culprit: Math.floor(i / 40) < Math.round(p * 10),
      });
    }
    const fitted = fitCalibration(examples, {
      iterations: 4000,
      learningRate: 0.3,
      l2: 0,
    });
    expect(fitted.score).toBeGreaterThan(1);
    expect(fitted.score).toBeLessThan(2.2);
    const asFitted = examples.map(e => ({
      ...e,
      confidence: probability(fitted, e),
    }));
    const asCoin = examples.map(e => ({ ...e, confidence: 0.5 }));
    expect(brierScore(asFitted)).toBeLessThan(brierScore(asCoin) / 2);
  });
});
