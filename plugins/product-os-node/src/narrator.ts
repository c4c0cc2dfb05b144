import { createExtensionPoint } from '@backstage/backend-plugin-api';

/**
 * One piece of evidence handed to a narrator.
 *
 * What Product OS computed itself (kind, weight, numbers) sits in plain fields and `facts`. Text
 * that arrived from outside (error messages, commit and pull request titles, author names,
 * descriptions that quote them) sits only in `untrusted`: it is data to describe, never an
 * instruction to follow, and a narrator must pass it to a model as quoted data.
 *
 * @public
 */
export interface NarrationEvidence {
  /** The id a sentence cites, e.g. `E3`. Unique within one {@link NarrationInput}. */
  id: string;
  /** What the evidence is, e.g. `error_group`, `deploy_timing`, `suspect_change`. */
  kind: string;
  /** How much the deterministic ranking relied on it, 0 to 1. */
  weight: number;
  /** The rank of the suspect change it is about (1 = top); absent for evidence about the anomaly. */
  suspectRank?: number;
  /** Values Product OS computed or checked: scores, counts, ISO times, PR numbers, hex shas. */
  facts: Record<string, string | number | boolean>;
  /** Text from outside Product OS, by field name (e.g. `description`, `title`, `author`). */
  untrusted: Record<string, string>;
}

/**
 * What a narrator rewrites: the deterministic summary and the evidence it rests on.
 * @public
 */
export interface NarrationInput {
  entityRef: string;
  /** The summary Product OS wrote from templates. It stands when narration fails. */
  summary: string;
  /** The diagnosis' confidence, 0 to 1. */
  confidence: number;
  evidence: NarrationEvidence[];
}

/**
 * A sentence of a narration with the ids of the evidence it rests on.
 * @public
 */
export interface NarrationSentence {
  text: string;
  /** Ids from {@link NarrationInput.evidence}. A sentence citing none, or an unknown id, is dropped. */
  evidence: string[];
}

/**
 * A narrator's answer.
 * @public
 */
export interface Narration {
  sentences: NarrationSentence[];
}

/**
 * Rewrites a diagnosis summary in plain language (for example with a language model). Product OS
 * checks the answer: sentences without valid citations are dropped, text that reads like an
 * instruction is flagged and never acted on, and on failure or timeout the deterministic summary
 * stands.
 *
 * @public
 */
export interface DiagnosisNarrator {
  /** A short name for logs, e.g. `openai`. */
  readonly id: string;
  /** Must stop work when `signal` aborts (the narration timed out). */
  narrate(input: NarrationInput, signal: AbortSignal): Promise<Narration>;
}

/**
 * Lets one backend module provide the narrator of diagnosis summaries.
 * @public
 */
export interface ProductOsNarratorExtensionPoint {
  /** Sets the narrator; a second call fails, so two modules cannot silently replace each other. */
  setNarrator(narrator: DiagnosisNarrator): void;
}

/** @public */
export const productOsNarratorExtensionPoint =
  createExtensionPoint<ProductOsNarratorExtensionPoint>({
    id: 'product-os.narrator',
  });
