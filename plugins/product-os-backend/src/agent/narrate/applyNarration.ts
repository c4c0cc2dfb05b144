import type {
  NarrationInput,
  NarrationSentence,
} from '@internal/plugin-product-os-node';
import type { EvidenceInput } from '../../database/anomalies/DiagnosisStore';
import { detectInstructions, excerpt } from './detectInstructions';

/** The evidence kind of a flag: text that reads like an instruction, kept as data. */
export const UNTRUSTED_INSTRUCTION = 'untrusted_instruction';

/** At most this many sentences of an answer are read; a summary is short. */
export const MAX_SENTENCES = 8;
/** A longer sentence is dropped rather than cut, so no claim is half kept. */
export const MAX_SENTENCE_LENGTH = 500;

/** A sentence of the answer that was not kept, and why. */
export interface DroppedSentence {
  text: string;
  reason: string;
}

/** The answer after checking: what may replace the summary, what was dropped, what was flagged. */
export interface CheckedNarration {
  sentences: NarrationSentence[];
  dropped: DroppedSentence[];
  flags: EvidenceInput[];
}

/**
 * A flag of text that reads like an instruction. `entityRef` names the entity the text came
 * from when it is not the diagnosed one, so a reader who may not see that entity is not shown it.
 */
export function flag(
  where: string,
  reasons: string[],
  text: string,
  entityRef?: string,
): EvidenceInput {
  return {
    kind: UNTRUSTED_INSTRUCTION,
    description:
      `Text in ${where} reads like an instruction (${reasons.join(', ')}); ` +
      `it was treated as data and not acted on: "${excerpt(text)}"`,
    weight: 0,
    ...(entityRef && { facts: { entityRef } }),
  };
}

/**
 * Flags the text from outside (every `untrusted` field, string facts, and the deterministic summary, which may
 * quote it) that reads like an instruction to the agent.
 */
export function flagUntrustedInput(
  input: NarrationInput,
  origins: Map<string, string>,
  /** The other entity each item (and `summary`, the summary) tells about, if any. */
  entities: Map<string, string> = new Map(),
): EvidenceInput[] {
  const flags: EvidenceInput[] = [];
  const summaryReasons = detectInstructions(input.summary);
  if (summaryReasons.length)
    flags.push(
      flag(
        'the deterministic summary',
        summaryReasons,
        input.summary,
        entities.get('summary'),
      ),
    );
  for (const item of input.evidence) {
    // Facts are computed by Product OS, but a string among them is checked all the same.
    const factText = Object.entries(item.facts).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    );
    for (const [field, text] of [
      ...Object.entries(item.untrusted),
      ...factText,
    ]) {
      const reasons = detectInstructions(text);
      if (reasons.length) {
        flags.push(
          flag(
            `the ${field} of ${origins.get(item.id) ?? item.id}`,
            reasons,
            text,
            entities.get(item.id),
          ),
        );
      }
    }
  }
  return flags;
}

/** `[E1]`, `[E1, S2]`, `(E3)`: citations belong in `evidence`, not in the text shown. */
const INLINE_CITATION = /\s*[[(](?:[EIS]\d+)(?:\s*,\s*[EIS]\d+)*[\])]/g;

function cleanText(text: string): string {
  return text
    .replace(INLINE_CITATION, '')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Checks a narrator's answer against its input. A sentence is kept only when it is plain text
 * that cites at least one evidence id and only ids that exist; a sentence that reads like an
 * instruction or carries a link is dropped and flagged. Anything malformed is dropped, never
 * thrown, so the caller can fall back to the deterministic summary.
 */
export function applyNarration(
  input: NarrationInput,
  answer: unknown,
): CheckedNarration {
  const known = new Set(input.evidence.map(item => item.id));
  const result: CheckedNarration = { sentences: [], dropped: [], flags: [] };
  const sentences =
    answer &&
    typeof answer === 'object' &&
    Array.isArray((answer as any).sentences)
      ? ((answer as any).sentences as unknown[])
      : [];

  for (const [index, sentence] of sentences.entries()) {
    const raw = (sentence as any)?.text;
    const cited = (sentence as any)?.evidence;
    if (typeof raw !== 'string') {
      result.dropped.push({ text: '', reason: 'not text' });
      continue;
    }
    if (index >= MAX_SENTENCES) {
      result.dropped.push({
        text: raw,
        reason: `more than ${MAX_SENTENCES} sentences`,
      });
      continue;
    }
    const text = cleanText(raw);
    const reasons = detectInstructions(raw, { forModelAnswer: true });
    if (reasons.length) {
      result.dropped.push({
        text,
        reason: `reads like an instruction: ${reasons.join(', ')}`,
      });
      result.flags.push(flag("the language model's answer", reasons, raw));
      continue;
    }
    if (!text || !/\p{L}/u.test(text)) {
      result.dropped.push({ text, reason: 'empty' });
    } else if (text.length > MAX_SENTENCE_LENGTH) {
      result.dropped.push({
        text,
        reason: `longer than ${MAX_SENTENCE_LENGTH} characters`,
      });
    } else if (
      !Array.isArray(cited) ||
      cited.length === 0 ||
      !cited.every(id => typeof id === 'string')
    ) {
      result.dropped.push({ text, reason: 'cites no evidence' });
    } else if (!cited.every(id => known.has(id))) {
      const unknown = cited.filter(id => !known.has(id));
      result.dropped.push({
        text,
        reason: `cites unknown evidence ${unknown.join(', ')}`,
      });
    } else {
      result.sentences.push({
        text,
        evidence: [...new Set(cited as string[])],
      });
    }
  }
  return result;
}
