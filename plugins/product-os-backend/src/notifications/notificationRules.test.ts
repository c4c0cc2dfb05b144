import { ConfigReader } from '@backstage/config';
import type { Diagnosis } from '@internal/plugin-product-os-common';
import { readNotificationsConfig } from '../config';
import { severityOf, worthNotifying } from './notificationRules';

const base: Diagnosis = {
  id: 7,
  entityRef: 'component:default/checkout-api',
  anomalyId: 3,
  summary: 'Errors in checkout-api rose 14×.',
  confidence: 0.82,
  status: 'open',
  actionability: 'actionable',
  verdict: 'suspect',
  reviewers: [],
  createdAt: '2026-12-02T10:00:00.000Z',
  updatedAt: '2026-12-02T10:00:00.000Z',
  suspects: [],
  evidence: [
    { id: 1, kind: 'error_spike', description: 'Errors rose 14×', weight: 1 },
  ],
};
const diagnosis = (changes: Partial<Diagnosis>): Diagnosis => ({
  ...base,
  ...changes,
});
const defaults = readNotificationsConfig();

describe('notification rules', () => {
  it('rates a diagnosis by what it asks of its owners', () => {
    const incident = {
      id: 1,
      title: 'Checkout down',
      status: 'triggered' as const,
    };
    expect(severityOf(diagnosis({ impact: { incident } }))).toBe('critical');
    expect(
      severityOf(
        diagnosis({
          impact: { incident: { ...incident, status: 'resolved' } },
        }),
      ),
    ).toBe('high');
    expect(severityOf(diagnosis({ actionability: 'needs_human' }))).toBe(
      'normal',
    );
    expect(severityOf(diagnosis({ actionability: 'collecting' }))).toBe('low');
    expect(
      severityOf(diagnosis({ status: 'resolved', impact: { incident } })),
    ).toBe('low');
  });

  it('sends a first notification only for open, confident, severe enough diagnoses of the configured kinds', () => {
    expect(worthNotifying(base, defaults)).toBe(true);
    expect(worthNotifying(diagnosis({ confidence: 0.49 }), defaults)).toBe(
      false,
    );
    expect(
      worthNotifying(diagnosis({ status: 'acknowledged' }), defaults),
    ).toBe(false);
    // Still collecting is below the default minimum (normal).
    expect(
      worthNotifying(diagnosis({ actionability: 'collecting' }), defaults),
    ).toBe(false);
    expect(
      worthNotifying(diagnosis({ actionability: 'collecting' }), {
        ...defaults,
        minSeverity: 'low',
      }),
    ).toBe(true);
    expect(
      worthNotifying(base, { ...defaults, anomalyKinds: ['incident'] }),
    ).toBe(false);
  });

  it('leaves out "not enough evidence" unless the config asks for it, whatever its confidence', () => {
    const quiet = diagnosis({
      verdict: 'not_enough_evidence',
      actionability: 'needs_human',
      confidence: 0.1,
    });
    expect(worthNotifying(quiet, defaults)).toBe(false);
    expect(
      worthNotifying(quiet, { ...defaults, notEnoughEvidence: true }),
    ).toBe(true);
  });

  it('refuses settings it cannot follow', () => {
    const read = (data: object) =>
      readNotificationsConfig(new ConfigReader(data));
    expect(() => read({ minSeverity: 'urgent' })).toThrow(/minSeverity/);
    expect(() => read({ minConfidence: 2 })).toThrow(/minConfidence/);
    expect(() => read({ anomalyKinds: ['outage'] })).toThrow(/outage/);
    expect(read({ enabled: false, anomalyKinds: ['incident'] })).toMatchObject({
      enabled: false,
      anomalyKinds: ['incident'],
      minSeverity: 'normal',
      minConfidence: 0.5,
      notEnoughEvidence: false,
    });
  });
});
