import type { ChangeEvent } from '@internal/plugin-product-os-common';
import { readAgentConfig } from '../../config';
import { HOUR_MS } from '../../time';
import type { Research } from '../research/researchAnomaly';
import type { Candidate, EntityContext, RankedSuspect } from '../types';
import { buildDiagnosis } from './buildDiagnosis';
import { classifyActionability } from './classifyActionability';
import { renderParts } from './textParts';

const config = readAgentConfig();
const MINUTE = 60_000;
const ONSET = Date.parse('2026-11-09T03:14:00Z');
const API = 'component:default/checkout-api';
const entity: EntityContext = {
  entityRef: API,
  name: 'checkout-api',
  owner: 'group:default/team-checkout',
  dependsOn: [],
  keyMetrics: [],
};

const deploy: ChangeEvent = {
  id: 5,
  entityRef: API,
  source: 'github',
  kind: 'deployment',
  externalId: 'd-5',
  title: 'Deploy',
  sha: 'a1b2c3d4e5',
  environment: 'production',
  occurredAt: new Date(ONSET - 9 * MINUTE).toISOString(),
  url: 'https://github.com/acme/shop/deployments/5',
  files: [],
};
const pr: ChangeEvent = {
  id: 4,
  entityRef: API,
  source: 'github',
  kind: 'pull_request',
  externalId: 'acme/shop#812',
  title: 'Rework totals',
  number: 812,
  author: 'dana',
  sha: 'a1b2c3d4e5',
  occurredAt: new Date(ONSET - HOUR_MS).toISOString(),
  url: 'https://github.com/acme/shop/pull/812',
  files: ['src/cart/total.ts'],
};
const previous: ChangeEvent = {
  ...deploy,
  id: 3,
  externalId: 'd-3',
  sha: '0f0f0f0f0f',
  occurredAt: new Date(ONSET - 5 * HOUR_MS).toISOString(),
};

const candidate: Candidate = {
  change: deploy,
  includes: [pr],
  entityRef: API,
  upstream: false,
  liveAt: ONSET - 9 * MINUTE,
  liveUntil: ONSET - 4 * MINUTE,
  files: pr.files,
  shas: ['a1b2c3d4e5'],
  author: 'dana',
  pullRequest: pr,
};

function suspect(confidence: number): RankedSuspect {
  return {
    candidate,
    score: 5,
    confidence,
    features: [
      {
        name: 'timing',
        value: 0.9,
        description: 'finished 4 minutes before the onset (03:14 UTC)',
        facts: { minutesBeforeOnset: 4 },
      },
      {
        name: 'code_overlap',
        value: 0.7,
        description: "changed 2 of the 3 top frames' files (total.ts, cart.ts)",
        facts: { topFramesMatched: 2, topFramesCompared: 3, framesCompared: 3 },
      },
      {
        name: 'size',
        value: 0.2,
        description: 'changed 1 file',
        facts: { files: 1 },
      },
    ],
  };
}

function research(suspects: RankedSuspect[]): Research {
  return {
    anomaly: {
      id: 9,
      entityRef: API,
      kinds: ['error_spike'],
      onsetAt: ONSET,
      detectedAt: ONSET + 20 * MINUTE,
      updatedAt: ONSET + 20 * MINUTE,
      magnitude: 14,
      score: 0.9,
      status: 'open',
      details: {},
    },
    details: {
      onsetUncertaintyMs: 0,
      signals: [
        {
          kind: 'error_spike',
          scope: 'entity',
          onsetAt: ONSET,
          onsetUncertaintyMs: 0,
          magnitude: 14,
          score: 0.9,
          description:
            'errors rose 14× from 03:00 UTC (140 an hour, usually 10)',
          groups: [{ id: 1, excess: 130 }],
        },
      ],
    },
    groups: [],
    troubledDependencies: [],
    candidateCount: 7,
    suspects,
  };
}

describe('buildDiagnosis', () => {
  it('names the suspect in plain words, with the rollback and who should look', () => {
    const diagnosis = buildDiagnosis({
      research: research([suspect(0.86)]),
      entity,
      dependencyOwners: new Map(),
      impact: { events: 412, affectedUsers: 96 },
      previousDeployment: previous,
      now: ONSET + 20 * MINUTE,
      config,
    });
    expect(diagnosis.summary).toBe(
      "Errors in checkout-api rose 14× at 03:14 UTC, 4 minutes after deploy a1b2c3d (PR #812 by dana), which changed 2 of the 3 top frames' files (confidence 86%). Impact: 412 error events affecting up to 96 users since the onset.",
    );
    expect(diagnosis).toMatchObject({
      verdict: 'suspect',
      actionability: 'actionable',
      nextStep:
        'Roll back checkout-api to 0f0f0f0 (the last good deployment before deploy a1b2c3d), or revert PR #812.',
      reviewers: ['dana', 'group:default/team-checkout'],
      owner: 'group:default/team-checkout',
      confidence: 0.86,
    });
    expect(diagnosis.suspects[0].evidence.map(e => [e.kind, e.weight])).toEqual(
      [
        ['timing', 1.8],
        ['code_overlap', 2.1],
        ['size', 0.06],
      ],
    );
    expect(diagnosis.suspects[0].evidence[1].url).toBe(pr.url);
    expect(diagnosis.evidence.map(e => e.kind)).toEqual([
      'error_spike',
      'candidates',
    ]);
  });

  it('says "not enough evidence" when the best candidate is below the confidence needed', () => {
    const diagnosis = buildDiagnosis({
      research: research([suspect(0.3)]),
      entity,
      dependencyOwners: new Map(),
      impact: {},
      now: ONSET + 20 * MINUTE,
      config,
    });
    expect(diagnosis.verdict).toBe('not_enough_evidence');
    expect(diagnosis.actionability).toBe('collecting');
    expect(diagnosis.summary).toContain(
      'Not enough evidence to name a change: the likeliest of 7, deploy a1b2c3d (PR #812 by dana)',
    );
    expect(diagnosis.nextStep).toMatch(/^Keep watching/);
    expect(diagnosis.reviewers).toEqual(['group:default/team-checkout']);
    // The candidates are still kept, ranked, for whoever looks.
    expect(diagnosis.suspects).toHaveLength(1);
  });
});

describe('buildDiagnosis in parts', () => {
  const LEDGER = 'component:default/ledger';
  const upstream: RankedSuspect = {
    ...suspect(0.86),
    candidate: {
      ...candidate,
      change: { ...deploy, entityRef: LEDGER },
      entityRef: LEDGER,
      upstream: true,
    },
  };
  const LEAKS = ['ledger', 'a1b2c3d', '#812', 'dana', '0f0f0f0'];

  it('renders the summary, next step and reviewers without a dependency the reader cannot see', () => {
    const diagnosis = buildDiagnosis({
      research: research([upstream]),
      entity: { ...entity, dependsOn: [LEDGER] },
      dependencyOwners: new Map([[LEDGER, 'group:default/ledger-team']]),
      impact: { events: 412 },
      previousDeployment: { ...previous, entityRef: LEDGER },
      now: ONSET + 20 * MINUTE,
      config,
    });
    const text = diagnosis.redactable!;
    // As stored, for readers who see everything, the parts say what the summary says.
    expect(renderParts(text.summary)).toBe(diagnosis.summary);
    expect(renderParts(text.nextStep!)).toBe(diagnosis.nextStep);
    for (const leak of ['ledger', 'a1b2c3d', '#812', 'dana'])
      expect(diagnosis.summary).toContain(leak);

    const hidden = new Set([LEDGER]);
    const summary = renderParts(text.summary, hidden);
    const next = renderParts(text.nextStep!, hidden);
    expect(summary).toBe(
      'Errors in checkout-api rose 14× at 03:14 UTC, after a change in a dependency you cannot see. Impact: 412 error events since the onset.',
    );
    expect(next).toContain('a change in a dependency you cannot see');
    for (const leak of LEAKS) {
      expect(summary).not.toContain(leak);
      expect(next).not.toContain(leak);
    }
    expect(
      text.reviewers!.filter(r => r.entityRef !== LEDGER).map(r => r.ref),
    ).toEqual(['group:default/team-checkout']);
  });

  it('says the likeliest candidate is hidden when not enough evidence names one', () => {
    const diagnosis = buildDiagnosis({
      research: {
        ...research([{ ...upstream, confidence: 0.3 }]),
        troubledDependencies: [
          {
            entityRef: LEDGER,
            signals: research([]).details.signals,
          },
        ],
      },
      entity: { ...entity, dependsOn: [LEDGER] },
      dependencyOwners: new Map(),
      impact: {},
      now: ONSET + 3 * HOUR_MS,
      config: { ...config, collectingMs: HOUR_MS },
    });
    const hidden = new Set([LEDGER]);
    const summary = renderParts(diagnosis.redactable!.summary, hidden);
    const next = renderParts(diagnosis.redactable!.nextStep!, hidden);
    expect(summary).toContain(
      'the likeliest of 7 is a change in a dependency you cannot see',
    );
    expect(diagnosis.nextStep).toContain('ledger is in trouble');
    expect(next).toContain('a dependency you cannot see is in trouble');
    for (const leak of LEAKS) {
      expect(summary).not.toContain(leak);
      expect(next).not.toContain(leak);
    }
  });
});

describe('classifyActionability', () => {
  const base = {
    kinds: ['error_spike' as const],
    anomalyAgeMs: 10 * MINUTE,
    collectingMs: 2 * HOUR_MS,
  };
  it('buckets by what can be done', () => {
    expect(classifyActionability({ ...base, suspect: suspect(0.9) })).toBe(
      'actionable',
    );
    expect(
      classifyActionability({
        ...base,
        kinds: ['metric_drop'],
        suspect: suspect(0.9),
      }),
    ).toBe('needs_human');
    const flag = {
      ...suspect(0.9),
      candidate: {
        ...candidate,
        change: { ...deploy, kind: 'change' as const },
      },
    };
    expect(classifyActionability({ ...base, suspect: flag })).toBe(
      'needs_human',
    );
    // A key metric that fell in the first hour after the named deployment: roll it back.
    expect(
      classifyActionability({
        ...base,
        kinds: ['metric_drop'],
        suspect: suspect(0.9),
        heartbeatDeployments: [deploy.id],
      }),
    ).toBe('actionable');
    expect(
      classifyActionability({
        ...base,
        kinds: ['metric_drop'],
        suspect: suspect(0.9),
        heartbeatDeployments: [deploy.id + 1],
      }),
    ).toBe('needs_human');
    expect(classifyActionability({ ...base })).toBe('collecting');
    expect(classifyActionability({ ...base, anomalyAgeMs: 3 * HOUR_MS })).toBe(
      'needs_human',
    );
  });
});
