import type { DiagnosisImpact } from '@internal/plugin-product-os-common';
import type { ErrorStore } from '../../database/errors/ErrorStore';
import { bucketStart, HOUR_MS } from '../../time';
import type { Research } from '../research/researchAnomaly';

/**
 * The anomaly's impact so far: events and affected users of its error groups since the onset
 * hour (users are distinct per hour, so their sum is an upper bound), how far its key metrics
 * are below baseline, and the incident it merged.
 */
export async function measureImpact(
  errors: Pick<ErrorStore, 'getErrorBuckets'>,
  research: Research,
  now: number,
): Promise<DiagnosisImpact> {
  const impact: DiagnosisImpact = {};
  const ids = new Set(research.groups.map(g => g.group.id));
  if (ids.size) {
    const buckets = await errors.getErrorBuckets(research.anomaly.entityRef, {
      from: bucketStart(research.anomaly.onsetAt, HOUR_MS),
      to: now + 1,
    });
    const mine = buckets.filter(b => ids.has(b.groupId));
    impact.events = mine.reduce((sum, b) => sum + b.count, 0);
    impact.affectedUsers = mine.reduce((sum, b) => sum + b.users, 0);
  }
  const metrics = research.details.signals.flatMap(s =>
    s.metric ? [s.metric] : [],
  );
  if (metrics.length) {
    impact.metrics = metrics.map(m => ({
      metric: m.key,
      observed: Math.round(m.observed),
      expected: Math.round(m.expected),
      change:
        Math.round(((m.observed - m.expected) / m.expected) * 1000) / 1000,
    }));
  }
  const incident = research.details.signals.find(s => s.incident)?.incident;
  if (incident) impact.incident = incident;
  return impact;
}
