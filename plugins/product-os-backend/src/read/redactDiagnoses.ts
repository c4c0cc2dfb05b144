import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Diagnosis, Evidence } from '@internal/plugin-product-os-common';
import { HIDDEN_CHANGE, renderParts } from '../agent/diagnose/textParts';
import type {
  DiagnosisStore,
  RedactableText,
} from '../database/anomalies/DiagnosisStore';
import type { EntityAccess } from '../entities/EntityAccess';

/** A diagnosis as one caller may see it, and what was taken out. */
export interface RedactedDiagnosis {
  diagnosis: Diagnosis;
  /** Entities the diagnosis tells about that the caller may not see (lower-case refs). */
  hidden: Set<string>;
}

/** Said instead of a summary written before summaries were kept in parts. */
const LEGACY_SUMMARY = `The agent's summary names ${HIDDEN_CHANGE}, so it is not shown.`;

const key = (ref: string) => ref.toLocaleLowerCase('en-US');

/** The entity refs other than its own that a diagnosis tells about. */
export function mentionedEntities(
  diagnosis: Diagnosis,
  text?: RedactableText,
): Set<string> {
  const own = key(diagnosis.entityRef);
  const refs = new Set<string>();
  const add = (ref: unknown) => {
    if (typeof ref === 'string' && ref && key(ref) !== own) refs.add(key(ref));
  };
  for (const suspect of diagnosis.suspects) {
    add(suspect.change.entityRef);
    suspect.evidence.forEach(e => add(e.facts?.entityRef));
  }
  diagnosis.evidence.forEach(e => add(e.facts?.entityRef));
  diagnosis.revisions?.forEach(r => add(r.change?.entityRef));
  add(diagnosis.outcome?.fix?.entityRef);
  text?.summary.forEach(p => add(p.entityRef));
  text?.nextStep?.forEach(p => add(p.entityRef));
  text?.reviewers?.forEach(r => add(r.entityRef));
  return refs;
}

/**
 * The one step every diagnosis passes before it leaves the API: what it tells about entities the
 * caller may not see in the catalog is taken out. Suspects that are changes of such an entity and
 * evidence about one are dropped; the summary and next step are rendered from their parts without
 * them ("a change in a dependency you cannot see"); reviewers picked for such an entity are left
 * out. The agent researched with its own credentials; this is about what a reader is shown.
 *
 * The catalog is asked once per call, as the caller, for every entity the diagnoses mention.
 */
export class DiagnosisRedaction {
  constructor(
    private readonly store: Pick<DiagnosisStore, 'getRedactableTexts'>,
    private readonly entities: EntityAccess,
  ) {}

  async redact(
    diagnoses: Diagnosis[],
    credentials: BackstageCredentials,
  ): Promise<Diagnosis[]> {
    return (await this.redactAll(diagnoses, credentials)).map(r => r.diagnosis);
  }

  async redactOne(
    diagnosis: Diagnosis,
    credentials: BackstageCredentials,
  ): Promise<RedactedDiagnosis> {
    const [redacted] = await this.redactAll([diagnosis], credentials);
    return redacted;
  }

  async redactAll(
    diagnoses: Diagnosis[],
    credentials: BackstageCredentials,
  ): Promise<RedactedDiagnosis[]> {
    // Suspects and evidence are enough to know which diagnoses need their text parts.
    const needParts = diagnoses.filter(d => mentionedEntities(d).size > 0);
    const texts = needParts.length
      ? await this.store.getRedactableTexts(needParts.map(d => d.id))
      : new Map<number, RedactableText>();
    const mentioned = diagnoses.map(d => mentionedEntities(d, texts.get(d.id)));
    const all = [...new Set(mentioned.flatMap(refs => [...refs]))];
    // Only diagnoses that tell about other entities cost a catalog request.
    const visible = new Set(
      all.length
        ? (await this.entities.visibleRefs(all, credentials)).map(key)
        : [],
    );
    return diagnoses.map((diagnosis, index) => {
      const hidden = new Set(
        [...mentioned[index]].filter(ref => !visible.has(ref)),
      );
      return redactDiagnosis(diagnosis, hidden, texts.get(diagnosis.id));
    });
  }
}

/** The diagnosis without what it tells about the `hidden` entities (lower-case refs). */
export function redactDiagnosis(
  diagnosis: Diagnosis,
  hidden: Set<string>,
  text?: RedactableText,
): RedactedDiagnosis {
  if (hidden.size === 0) return { diagnosis, hidden };
  const isHidden = (ref: unknown) =>
    typeof ref === 'string' && hidden.has(key(ref));
  const keepEvidence = (e: Evidence) => !isHidden(e.facts?.entityRef);
  const ranked = [...diagnosis.suspects].sort((a, b) => a.rank - b.rank);
  const top = ranked[0];
  const topSuspectHidden = top !== undefined && isHidden(top.change.entityRef);
  const suspects = diagnosis.suspects
    .filter(s => !isHidden(s.change.entityRef))
    .map(s => ({ ...s, evidence: s.evidence.filter(keepEvidence) }));
  // Parts are tagged with refs as written; compare them case-insensitively too.
  const hiddenAsWritten = new Set<string>();
  const collect = (ref?: string) => {
    if (ref && isHidden(ref)) hiddenAsWritten.add(ref);
  };
  text?.summary.forEach(p => collect(p.entityRef));
  text?.nextStep?.forEach(p => collect(p.entityRef));

  const summary = text
    ? renderParts(text.summary, hiddenAsWritten)
    : LEGACY_SUMMARY;
  const nextStep = text?.nextStep
    ? renderParts(text.nextStep, hiddenAsWritten)
    : undefined;
  const reviewers = text?.reviewers
    ? [
        ...new Set(
          text.reviewers.filter(r => !isHidden(r.entityRef)).map(r => r.ref),
        ),
      ]
    : diagnosis.reviewers.filter(r => r === diagnosis.owner);
  const { nextStep: _stored, ...rest } = diagnosis;
  return {
    diagnosis: {
      ...rest,
      summary,
      ...(nextStep !== undefined && { nextStep }),
      reviewers,
      suspects,
      evidence: diagnosis.evidence.filter(keepEvidence),
      // Its place is kept, so the reader is told the likely cause is hidden, not the next suspect.
      ...(topSuspectHidden && {
        hiddenTopSuspect: { rank: top.rank, confidence: top.confidence },
      }),
      // The outcome of a hidden change's diagnosis says what happened, not which change undid it.
      ...(diagnosis.outcome && {
        outcome:
          topSuspectHidden ||
          (diagnosis.outcome.fix && isHidden(diagnosis.outcome.fix.entityRef))
            ? (({ fix: _fix, suspectChangeId: _suspect, ...outcome }) =>
                outcome)(diagnosis.outcome)
            : diagnosis.outcome,
      }),
      // A version that named a hidden dependency's change says what it concluded, not which.
      ...(diagnosis.revisions && {
        revisions: diagnosis.revisions.map(({ change, ...revision }) =>
          change && isHidden(change.entityRef)
            ? revision
            : { ...revision, ...(change && { change }) },
        ),
      }),
    },
    hidden,
  };
}
