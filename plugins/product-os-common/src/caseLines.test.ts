import { caseLines, HIDDEN_CAUSE } from './caseLines';
import type { ChangeEvent, Diagnosis, Suspect } from './types';

const ENTITY = 'component:default/checkout-api';

const change = (overrides: Partial<ChangeEvent>): ChangeEvent => ({
  id: 1,
  entityRef: ENTITY,
  source: 'github',
  kind: 'deployment',
  externalId: 'deploy-1',
  title: 'Deploy 9f2c1e7',
  sha: '9f2c1e7d5b3a48c0e6f1a2b3c4d5e6f708192a3b',
  url: 'https://github.com/acme/checkout-api/deployments/1',
  occurredAt: '2026-11-20T14:00:00.000Z',
  files: [],
  ...overrides,
});

const suspect = (rank: number, c: ChangeEvent): Suspect => ({
  id: rank,
  rank,
  score: 1,
  confidence: 0.3,
  change: c,
  evidence: [],
});

/** A diagnosis as the API returns it to a reader who may not see the top suspect's entity. */
const redacted: Diagnosis = {
  id: 7,
  entityRef: ENTITY,
  summary:
    'Errors in checkout-api rose 6×, after a change in a dependency you cannot see.',
  confidence: 0.82,
  status: 'open',
  actionability: 'actionable',
  verdict: 'suspect',
  nextStep:
    'Ask the owners of the dependencies of checkout-api to check a change in a dependency you cannot see, the likeliest cause.',
  reviewers: [],
  createdAt: '2026-11-20T14:12:00.000Z',
  updatedAt: '2026-11-20T14:12:00.000Z',
  // The hidden suspect at rank 1 is gone; the one left keeps rank 2.
  suspects: [suspect(2, change({}))],
  evidence: [],
  hiddenTopSuspect: { rank: 1, confidence: 0.82 },
};

describe('caseLines', () => {
  it('says the likely cause is a change the reader cannot see, never the next suspect', () => {
    const lines = caseLines(redacted);
    expect(lines.cause).toBe(HIDDEN_CAUSE);
    expect(lines.cause).toBe(
      'A change in a dependency you cannot see (ask its owners)',
    );
    expect(lines.causeUrl).toBeUndefined();
    expect(lines.nextStep).toBe(redacted.nextStep);
    expect(lines.confidence).toBe('High (82%)');
  });

  it('says so too when the hidden suspect was the only one', () => {
    expect(caseLines({ ...redacted, suspects: [] }).cause).toBe(HIDDEN_CAUSE);
  });

  it('names the top suspect when nothing is hidden', () => {
    const { hiddenTopSuspect: _marker, ...visible } = redacted;
    expect(caseLines(visible).cause).toBe('Deploy 9f2c1e7 in checkout-api');
  });

  it('names no change when there is not enough evidence, hidden or not', () => {
    expect(
      caseLines({ ...redacted, verdict: 'not_enough_evidence' }).cause,
    ).toBe('No change stands out: not enough evidence to name one');
  });
});
