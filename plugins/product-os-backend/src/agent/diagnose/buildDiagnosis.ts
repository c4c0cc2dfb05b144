import type {
  ChangeEvent,
  DiagnosisImpact,
} from '@internal/plugin-product-os-common';
import type { AgentConfig } from '../../config';
import type {
  DiagnosisInput,
  EvidenceInput,
} from '../../database/anomalies/DiagnosisStore';
import { FEATURE_WEIGHTS } from '../research/rankSuspects';
import type { Research } from '../research/researchAnomaly';
import type { EntityContext, RankedSuspect } from '../types';
import { classifyActionability } from './classifyActionability';
import { entityName } from './describeChange';
import { nextStepParts } from './nextStep';
import { summarizeParts } from './summarize';
import { renderParts } from './textParts';

/**
 * The diagnosis record of researched anomaly: verdict, summary, bucket, next step, reviewers,
 * impact, and the evidence for the anomaly and each kept suspect.
 */
export function buildDiagnosis(options: {
  research: Research;
  entity: EntityContext;
  /** Owners of the dependencies, for an upstream suspect's reviewers. */
  dependencyOwners: Map<string, string | undefined>;
  impact: DiagnosisImpact;
  previousDeployment?: ChangeEvent;
  now: number;
  config: AgentConfig;
  createdBy?: string;
}): DiagnosisInput {
  const { research, entity, config } = options;
  const top = research.suspects[0];
  const named = top && top.confidence >= config.minConfidence ? top : undefined;
  const actionability = classifyActionability({
    suspect: named,
    kinds: research.anomaly.kinds,
    anomalyAgeMs: options.now - research.anomaly.onsetAt,
    collectingMs: config.collectingMs,
    heartbeatDeployments: research.details.signals.flatMap(s =>
      s.afterDeployment ? [s.afterDeployment.changeId] : [],
    ),
  });
  // An upstream suspect's author and its entity's owner are picked for that entity.
  const suspectEntity = named?.candidate.upstream
    ? named.candidate.entityRef
    : undefined;
  const reviewers = [
    { ref: named?.candidate.author, entityRef: suspectEntity },
    {
      ref: suspectEntity && options.dependencyOwners.get(suspectEntity),
      entityRef: suspectEntity,
    },
    { ref: entity.owner },
  ].filter((r): r is { ref: string; entityRef?: string } => !!r.ref);
  const summary = summarizeParts({
    research,
    entity,
    suspect: named,
    impact: options.impact,
    lookbackMs: config.lookbackMs,
  });
  const next = nextStepParts({
    actionability,
    suspect: named,
    previousDeployment: options.previousDeployment,
    entity,
    metrics: research.details.signals.flatMap(s =>
      s.metric ? [s.metric.key] : [],
    ),
    troubledDependencies: research.troubledDependencies.map(d => d.entityRef),
  });
  return {
    entityRef: entity.entityRef,
    anomalyId: research.anomaly.id,
    summary: renderParts(summary),
    confidence: round(top?.confidence ?? 0),
    actionability,
    verdict: named ? 'suspect' : 'not_enough_evidence',
    nextStep: renderParts(next),
    reviewers: [...new Set(reviewers.map(r => r.ref))],
    redactable: {
      summary,
      nextStep: next,
      reviewers: reviewers.map(r =>
        r.entityRef ? { ref: r.ref, entityRef: r.entityRef } : { ref: r.ref },
      ),
    },
    impact: options.impact,
    owner: entity.owner,
    createdBy: options.createdBy,
    createdAt: options.now,
    suspects: research.suspects.slice(0, config.maxSuspects).map(suspect => ({
      changeEventId: suspect.candidate.change.id,
      score: round(suspect.score),
      confidence: round(suspect.confidence),
      evidence: suspectEvidence(suspect),
    })),
    evidence: anomalyEvidence(research),
  };
}

function anomalyEvidence(research: Research): EvidenceInput[] {
  const evidence: EvidenceInput[] = research.details.signals.map(signal => ({
    kind: signal.kind,
    description: signal.description,
    weight: round(signal.score),
    url: signal.url,
    facts: {
      onsetAt: new Date(signal.onsetAt).toISOString(),
      onsetUncertaintyMinutes: Math.round(signal.onsetUncertaintyMs / 60_000),
      magnitude: round(signal.magnitude),
      ...(signal.groups && { errorGroups: signal.groups.length }),
      ...(signal.metric && {
        metricObserved: Math.round(signal.metric.observed),
        metricExpected: Math.round(signal.metric.expected),
      }),
    },
  }));
  for (const dependency of research.troubledDependencies) {
    evidence.push({
      kind: 'dependency',
      description: `${entityName(
        dependency.entityRef,
      )}, a dependency, shows ${dependency.signals
        .map(s => s.description)
        .join('; ')}`,
      weight: round(Math.max(...dependency.signals.map(s => s.score))),
      facts: {
        entityRef: dependency.entityRef,
        signals: dependency.signals.length,
      },
    });
  }
  evidence.push({
    kind: 'candidates',
    description: `${research.candidateCount} candidate changes went live in the lookback before the onset`,
    weight: 0,
    facts: { candidates: research.candidateCount },
  });
  return evidence;
}

function suspectEvidence(suspect: RankedSuspect): EvidenceInput[] {
  const { candidate } = suspect;
  return suspect.features
    .filter(f => f.name === 'timing' || f.value > 0)
    .map(f => ({
      kind: f.name,
      description: f.description,
      weight: round(FEATURE_WEIGHTS[f.name] * f.value),
      url:
        f.name === 'code_overlap'
          ? candidate.pullRequest?.url ?? candidate.change.url
          : candidate.change.url,
      facts: {
        ...f.facts,
        value: round(f.value),
        changeId: candidate.change.id,
      },
    }));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
