import type { ChangeEvent } from '@internal/plugin-product-os-common';
import { DAY_MS, HOUR_MS } from '../../time';
import { findFix } from './findFix';
import { judgeOutcome, OutcomeFacts } from './judgeOutcome';
import {
  baseConfidence,
  fitRecalibration,
  recalibrateConfidence,
  recalibrateSuspects,
  RECALIBRATION,
} from './recalibrate';
import { errorsStopped, metricsRecovered } from './troubleStopped';
import type { RankedSuspect } from '../types';

const MINUTE = 60_000;
/** 2026-11-20T10:00Z: the onset. */
const T = Date.UTC(2026, 10, 20, 10);
const at = (hour: number, minute = 0) => T + hour * HOUR_MS + minute * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();
const API = 'component:default/checkout-api';

let nextId = 1;
function change(
  patch: Partial<ChangeEvent> & { occurredAt: string },
): ChangeEvent {
  return {
    id: nextId++,
    entityRef: API,
    source: 'github',
    kind: 'deployment',
    externalId: `x-${nextId}`,
    title: 'Deploy',
    environment: 'production',
    status: 'success',
    files: [],
    ...patch,
  };
}

describe('findFix', () => {
  const previous = change({ sha: 'aaaaaaa1111', occurredAt: iso(at(-19)) });
  const pr = change({
    kind: 'pull_request',
    title: 'Compute cart totals from line items',
    status: 'merged',
    sha: 'eeeeeee5555',
    occurredAt: iso(at(0, -20)),
    environment: undefined,
  });
  const suspect = change({
    sha: 'bbbbbbb2222',
    occurredAt: iso(at(0, -10)),
    finishedAt: iso(at(0, -5)),
  });

  it('finds a rollback: a deployment of a commit deployed before the suspect', () => {
    const rollback = change({
      sha: 'aaaaaaa',
      occurredAt: iso(at(1, 20)),
      finishedAt: iso(at(1, 25)),
    });
    expect(findFix(suspect, [rollback, suspect, previous, pr], T)).toEqual({
      kind: 'rollback',
      change: rollback,
      at: at(1, 25),
    });
  });

  it('does not take a redeploy of the suspect, a new commit, another environment, a failed deployment or one before the onset', () => {
    const changes = [
      previous,
      suspect,
      change({ sha: 'bbbbbbb2222', occurredAt: iso(at(1)) }),
      change({ sha: 'ccccccc3333', occurredAt: iso(at(1, 10)) }),
      change({
        sha: 'aaaaaaa1111',
        environment: 'staging',
        occurredAt: iso(at(1, 20)),
      }),
      change({
        sha: 'aaaaaaa1111',
        status: 'failure',
        occurredAt: iso(at(1, 30)),
      }),
    ];
    expect(findFix(suspect, changes, T)).toBeUndefined();
    const early = change({ sha: 'aaaaaaa1111', occurredAt: iso(at(0, -2)) });
    expect(findFix(suspect, [previous, suspect, early], T)).toBeUndefined();
  });

  it('finds a revert of a pull request the deployment shipped, live with the deployment after it', () => {
    const revert = change({
      kind: 'pull_request',
      title: 'Revert "Compute cart totals from line items (#512)"',
      status: 'merged',
      sha: 'fffffff6666',
      occurredAt: iso(at(1, 10)),
      environment: undefined,
    });
    const shipping = change({
      sha: 'fffffff6666',
      occurredAt: iso(at(1, 30)),
      finishedAt: iso(at(1, 40)),
    });
    expect(
      findFix(suspect, [previous, pr, suspect, revert], T),
    ).toBeUndefined();
    expect(
      findFix(suspect, [previous, pr, suspect, revert, shipping], T),
    ).toEqual({ kind: 'revert', change: revert, at: at(1, 40) });
  });

  it('takes a revert of a merged pull request as live when the entity reports no deployments', () => {
    const revert = change({
      kind: 'commit',
      title: 'Revert "compute cart totals from line items"',
      occurredAt: iso(at(2)),
      environment: undefined,
    });
    const other = change({
      kind: 'commit',
      title: 'Revert "Something else"',
      occurredAt: iso(at(1)),
      environment: undefined,
    });
    expect(findFix(pr, [pr, other, revert], T)).toEqual({
      kind: 'revert',
      change: revert,
      at: at(2),
    });
  });
});

describe('errorsStopped', () => {
  // 24 ordinary hours (1 an hour, one hour of 4), then the trouble.
  const hourly = new Map<number, number>();
  for (let h = -24; h < 0; h++) hourly.set(at(h), h === -5 ? 4 : 1);

  it('is the first of two complete quiet hours after a loud one', () => {
    const counts = new Map([
      ...hourly,
      [at(0), 120],
      [at(1), 80],
      [at(2), 3],
      [at(3), 1],
    ]);
    // quiet: at most max(2, 4, 12 = a tenth of the peak of 120)
    expect(errorsStopped([counts], at(0, 5), at(4, 30))).toEqual({
      stoppedAt: at(2),
      groups: [{ quietLevel: 12, peak: 120 }],
    });
    // The second quiet hour is not complete yet.
    expect(errorsStopped([counts], at(0, 5), at(3, 30))).toBeUndefined();
  });

  it('is not fooled by a lull', () => {
    const counts = new Map([
      ...hourly,
      [at(0), 120],
      [at(1), 5],
      [at(2), 50],
      [at(3), 0],
      [at(4), 12],
    ]);
    expect(errorsStopped([counts], at(0), at(5))?.stoppedAt).toBe(at(3));
  });

  it('says nothing while no hour since the onset was loud', () => {
    expect(errorsStopped([hourly], at(0), at(5))).toBeUndefined();
  });

  it("judges each group against its own level, so a busy group does not hide a new error's night", () => {
    // A group busy in the day (16 in its busiest hour before the onset, 2 an hour otherwise) and
    // a new error: 80 an hour, then 12 at night. Summed, 14 an hour would pass for quiet beside
    // the 16; the new error alone is still above a tenth of its peak.
    const busy = new Map<number, number>();
    for (let h = -24; h < 7; h++) busy.set(at(h), h === -10 ? 16 : 2);
    const fresh = new Map([
      [at(0), 80],
      [at(1), 70],
      [at(2), 12],
      [at(3), 11],
      [at(4), 12],
    ]);
    expect(errorsStopped([busy, fresh], at(0), at(5))).toBeUndefined();
    // It stops when the new error is nearly gone, the busy group at its usual.
    fresh.set(at(5), 3).set(at(6), 2);
    expect(errorsStopped([busy, fresh], at(0), at(7))).toEqual({
      stoppedAt: at(5),
      groups: [
        { quietLevel: 16, peak: 2 },
        { quietLevel: 8, peak: 80 },
      ],
    });
  });
});

describe('metricsRecovered', () => {
  // checkout_completed, the same hour of the 3 days before: 100, 120, 90 (median 100) for the
  // hours 10:00–15:00; the drop from 10:00.
  const usual = new Map<number, number>();
  for (const [day, value] of [
    [-1, 100],
    [-2, 120],
    [-3, 90],
  ])
    for (let h = 0; h < 6; h++) usual.set(at(24 * day + h), value);

  it('is the first of two complete hours at 85 % of the same hour of the days before, after a low one', () => {
    const counts = new Map([
      ...usual,
      [at(0), 40],
      [at(1), 70],
      [at(2), 86],
      [at(3), 84],
      [at(4), 85],
      [at(5), 99],
    ]);
    // 86 is back and 84 is not (85 of 100 is); 85 and 99 are.
    expect(metricsRecovered(counts, at(0, 10), at(6))).toBe(at(4));
    expect(metricsRecovered(counts, at(0, 10), at(5, 59))).toBeUndefined();
  });

  it('says nothing while no hour since the onset was low', () => {
    const counts = new Map([...usual, [at(0), 100], [at(1), 100]]);
    expect(metricsRecovered(counts, at(0), at(2))).toBeUndefined();
  });
});

describe('judgeOutcome', () => {
  const suspect = change({ sha: 'bbbbbbb', occurredAt: iso(at(0, -10)) });
  const rollback = change({
    sha: 'aaaaaaa',
    occurredAt: iso(at(1, 20)),
    finishedAt: iso(at(1, 25)),
  });
  const fix = { kind: 'rollback' as const, change: rollback, at: at(1, 25) };
  const facts = (patch: Partial<OutcomeFacts>): OutcomeFacts => ({
    named: true,
    createdAt: at(0, 5),
    onsetAt: T,
    suspect,
    signal: 'errors',
    otherChanges: [],
    now: at(6),
    ...patch,
  });

  it('verifies a named suspect rolled back when the trouble stopped within 3 h of it', () => {
    expect(judgeOutcome(facts({ fix, stoppedAt: at(2) }))).toEqual({
      outcome: 'verified',
      basis: 'rolled_back_and_stopped',
      description:
        'The suspect was rolled back at 11:25 UTC, and its errors were back to their usual level from 12:00 UTC.',
      suspectWasCause: true,
    });
    // The hour the rollback went live in counts: 11:00–13:00 quiet after a rollback at 11:25.
    expect(judgeOutcome(facts({ fix, stoppedAt: at(1) }))?.outcome).toBe(
      'verified',
    );
    // 14:00 is within 3 h of 11:25; 15:00 is not.
    expect(
      judgeOutcome(facts({ fix, stoppedAt: at(4), now: at(8) }))?.outcome,
    ).toBe('verified');
    expect(
      judgeOutcome(facts({ fix, stoppedAt: at(5), now: at(9) })),
    ).toMatchObject({
      outcome: 'refuted',
      basis: 'fix_did_not_stop',
      suspectWasCause: false,
    });
  });

  it('says when the incident was resolved, or when the key metrics were back', () => {
    expect(
      judgeOutcome(facts({ fix, stoppedAt: at(1, 40), signal: 'incident' }))
        ?.description,
    ).toBe(
      'The suspect was rolled back at 11:25 UTC, and the incident was resolved at 11:40 UTC.',
    );
    expect(
      judgeOutcome(facts({ fix, stoppedAt: at(2), signal: 'metrics' }))
        ?.description,
    ).toBe(
      'The suspect was rolled back at 11:25 UTC, and its key metrics were back to their usual level from 12:00 UTC.',
    );
  });

  it('refutes it when the trouble had stopped a whole hour before the rollback', () => {
    expect(judgeOutcome(facts({ fix, stoppedAt: at(0), now: at(3) }))).toEqual({
      outcome: 'refuted',
      basis: 'stopped_before_fix',
      description:
        'The trouble had stopped (its errors were back to their usual level from 10:00 UTC) before the suspect was rolled back at 11:25 UTC.',
      suspectWasCause: false,
    });
  });

  it('waits 6 h after a rollback that has not stopped the trouble, then refutes', () => {
    expect(judgeOutcome(facts({ fix, now: at(7, 24) }))).toBeUndefined();
    expect(judgeOutcome(facts({ fix, now: at(7, 25) }))).toEqual({
      outcome: 'refuted',
      basis: 'fix_did_not_stop',
      description:
        'The suspect was rolled back at 11:25 UTC, and the trouble went on for more than 3 h after it.',
      suspectWasCause: false,
    });
  });

  it('refutes a suspect when the trouble stopped with no change going live, once 3 h have passed', () => {
    expect(
      judgeOutcome(facts({ stoppedAt: at(2), now: at(4, 59) })),
    ).toBeUndefined();
    expect(judgeOutcome(facts({ stoppedAt: at(2), now: at(5) }))).toEqual({
      outcome: 'refuted',
      basis: 'stopped_without_change',
      description:
        'Its errors were back to their usual level from 12:00 UTC, with no change going live since the onset: the suspect was not undone.',
      suspectWasCause: false,
    });
  });

  it('is inconclusive when it stopped after another change (a fix forward)', () => {
    const forward = change({
      sha: 'ccccccc',
      occurredAt: iso(at(2, 30)),
      finishedAt: iso(at(2, 40)),
    });
    expect(
      judgeOutcome(facts({ stoppedAt: at(2), otherChanges: [forward] })),
    ).toEqual({
      outcome: 'inconclusive',
      basis: 'stopped_after_other_change',
      description:
        'Its errors were back to their usual level from 12:00 UTC, after a change that does not undo the suspect went live at 12:40 UTC.',
    });
    // One that went live after the hour it stopped in did not stop it.
    const later = change({ occurredAt: iso(at(3, 5)) });
    expect(
      judgeOutcome(facts({ stoppedAt: at(2), otherChanges: [later] }))?.basis,
    ).toBe('stopped_without_change');
  });

  it('refutes a rejected diagnosis, whatever happened since', () => {
    expect(
      judgeOutcome(
        facts({
          fix,
          stoppedAt: at(2),
          rejection: {
            reason: 'The deploy only changed docs',
            by: 'user:default/dana',
            at: at(0, 40),
          },
        }),
      ),
    ).toEqual({
      outcome: 'refuted',
      basis: 'rejected',
      description:
        'Rejected by a reviewer at 10:40 UTC, with the reason below.',
      suspectWasCause: false,
    });
  });

  it('is inconclusive after 3 days without an answer', () => {
    expect(
      judgeOutcome(facts({ now: at(0, 5) + 3 * DAY_MS - 1 })),
    ).toBeUndefined();
    expect(judgeOutcome(facts({ now: at(0, 5) + 3 * DAY_MS }))).toEqual({
      outcome: 'inconclusive',
      basis: 'deadline',
      description:
        'In the 3 days after the diagnosis the suspect was not rolled back or reverted and the trouble did not clearly stop.',
    });
  });

  describe('"not enough evidence"', () => {
    it('is refuted when the change ranked first was rolled back and the trouble stopped then', () => {
      expect(
        judgeOutcome(facts({ named: false, fix, stoppedAt: at(2) })),
      ).toMatchObject({
        outcome: 'refuted',
        basis: 'rolled_back_and_stopped',
        suspectWasCause: true,
      });
    });

    it('is verified when the trouble stopped with no change going live', () => {
      expect(judgeOutcome(facts({ named: false, stoppedAt: at(2) }))).toEqual({
        outcome: 'verified',
        basis: 'stopped_without_change',
        description:
          'Its errors were back to their usual level from 12:00 UTC, with no change going live since the onset.',
        suspectWasCause: false,
      });
      // Without any suspect, nothing is said about one.
      expect(
        judgeOutcome(
          facts({ named: false, suspect: undefined, stoppedAt: at(2) }),
        ),
      ).not.toHaveProperty('suspectWasCause');
    });

    it('is refuted by a rejection, without saying anything of the change ranked first', () => {
      const judged = judgeOutcome(
        facts({
          named: false,
          rejection: {
            by: 'user:default/dana',
            at: at(1),
            reason: 'It was the flag',
          },
        }),
      );
      expect(judged).toMatchObject({ outcome: 'refuted', basis: 'rejected' });
      expect(judged).not.toHaveProperty('suspectWasCause');
    });

    it('stays inconclusive when undoing the change ranked first did not help', () => {
      expect(
        judgeOutcome(facts({ named: false, fix, now: at(8) })),
      ).toMatchObject({
        outcome: 'inconclusive',
        basis: 'fix_did_not_stop',
        suspectWasCause: false,
      });
    });
  });
});

describe('recalibration from outcomes', () => {
  const outcomes = (confidence: number, n: number, causes: number) =>
    Array.from({ length: n }, (_, i) => ({
      confidence,
      suspectWasCause: i < causes,
    }));

  it('blends each bin with the built-in calibration and moves confidences by at most 0.1', () => {
    const fit = fitRecalibration([
      ...outcomes(0.9, 20, 10),
      ...outcomes(0.7, 10, 8),
    ]);
    const high = fit.bins[4];
    // (10 causes + 10 × 0.9) / (20 + 10) = 0.6333; logit(0.6333) − logit(0.9) = −1.6507
    expect(high).toMatchObject({ from: 0.8, to: 1, outcomes: 20, causes: 10 });
    expect(high.target).toBeCloseTo(19 / 30, 10);
    expect(high.shift).toBeCloseTo(-1.65068, 4);
    // 0.9 would become 0.6333 and 0.85 0.5210; both stop 0.1 lower.
    expect(recalibrateConfidence(0.9, fit)).toBeCloseTo(0.8, 10);
    expect(recalibrateConfidence(0.85, fit)).toBeCloseTo(0.75, 10);
    // (8 + 10 × 0.7) / 20 = 0.75: logit shift 0.2513, inside the cap.
    expect(fit.bins[3].shift).toBeCloseTo(0.25131, 4);
    expect(recalibrateConfidence(0.7, fit)).toBeCloseTo(0.75, 10);
    // 0.65 would become 0.70482: it stops at 0.70, no further than the bin was off (0.05).
    expect(recalibrateConfidence(0.65, fit)).toBeCloseTo(0.7, 10);
    // Bins without outcomes leave confidences alone.
    expect(recalibrateConfidence(0.3, fit)).toBe(0.3);
  });

  it('does nothing in a bin until it has 10 outcomes', () => {
    expect(RECALIBRATION.minOutcomes).toBe(10);
    const nine = fitRecalibration(outcomes(0.9, 9, 0));
    expect(nine.bins[4].shift).toBe(0);
    expect(recalibrateConfidence(0.9, nine)).toBe(0.9);
    const ten = fitRecalibration(outcomes(0.9, 10, 0));
    expect(recalibrateConfidence(0.9, ten)).toBeCloseTo(0.8, 10);
  });

  it('never moves a confidence more than 0.1, however one-sided the outcomes', () => {
    const wrong = fitRecalibration([
      ...outcomes(0.95, 400, 0),
      ...outcomes(0.1, 100, 100),
    ]);
    for (const c of [0.81, 0.9, 0.95, 0.999]) {
      expect(recalibrateConfidence(c, wrong)).toBeCloseTo(c - 0.1, 10);
    }
    for (const c of [0.01, 0.1, 0.19]) {
      expect(recalibrateConfidence(c, wrong)).toBeCloseTo(c + 0.1, 10);
    }
  });

  it('never moves a confidence further than its bin was found off', () => {
    // A bin whose mean is 0.98 and whose outcomes say 0.93 (blended, 0.945): −1.05 in log-odds
    // at its mean, which would take 0.85 to 0.665; it moves by at most the bin's 0.035.
    const fit = fitRecalibration(outcomes(0.98, 30, 28));
    const bin = fit.bins[4];
    expect(bin.target).toBeCloseTo((28 + 9.8) / 40, 10);
    const gap = bin.predicted - bin.target;
    expect(recalibrateConfidence(0.85, fit)).toBeCloseTo(0.85 - gap, 10);
    expect(recalibrateConfidence(0.81, fit)).toBeCloseTo(0.81 - gap, 10);
    // At the bin's mean it lands on the target, as fitted.
    expect(recalibrateConfidence(0.98, fit)).toBeCloseTo(bin.target, 10);
  });

  it("scales one anomaly's suspects down when they add up to more than 1, and says what moved", () => {
    const fit = fitRecalibration(outcomes(0.7, 20, 20));
    // (20 + 7) / 30 = 0.9: 0.7 → 0.8 (capped); 0.62 → 0.72 (capped); sum 1.52 → scaled to 1.
    const suspect = (confidence: number) => ({ confidence } as RankedSuspect);
    const result = recalibrateSuspects([suspect(0.7), suspect(0.62)], fit);
    expect(result.suspects.map(s => s.confidence)).toEqual([
      expect.closeTo(0.8 / 1.52, 10),
      expect.closeTo(0.72 / 1.52, 10),
    ]);
    expect(result.evidence).toEqual({
      kind: 'recalibration',
      description:
        "Confidence 70% → 53% from this portal's outcomes: of 20 top suspects given 60%–80%, 20 were the cause",
      weight: 0,
      facts: {
        before: 0.7,
        after: 0.526,
        binFrom: 0.6,
        binTo: 0.8,
        outcomes: 20,
        causes: 20,
      },
    });
    expect(recalibrateSuspects([suspect(0.3)], fit)).toEqual({
      suspects: [suspect(0.3)],
    });
  });

  it('records outcomes against the built-in confidence, not the adjusted one', () => {
    const diagnosis = {
      confidence: 0.8,
      evidence: [{ kind: 'recalibration', facts: { before: 0.9 } }],
    };
    expect(baseConfidence(diagnosis as any)).toBe(0.9);
    expect(baseConfidence({ confidence: 0.8, evidence: [] } as any)).toBe(0.8);
  });
});
