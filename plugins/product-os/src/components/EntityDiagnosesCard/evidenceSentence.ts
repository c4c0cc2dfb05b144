import { Evidence } from '@internal/plugin-product-os-common';
import { formatSpan } from '../../lib/time';

/**
 * An evidence item as a sentence. Timing is said from its facts, so that its moment can be
 * shown in the reader's zone (the agent's description names UTC); the rest is the agent's
 * description, which is already a clause in plain words.
 */
export function evidenceSentence(evidence: Evidence): {
  text: string;
  /** A moment the sentence refers to, for the reader's zone. */
  at?: string;
} {
  const facts = evidence.facts ?? {};
  if (
    evidence.kind === 'timing' &&
    typeof facts.minutesBeforeOnset === 'number'
  ) {
    const liveUntil =
      typeof facts.liveUntil === 'string' ? facts.liveUntil : undefined;
    const minutes = facts.minutesBeforeOnset;
    return {
      text:
        minutes <= 0
          ? 'Went live as the trouble began'
          : `Went live ${formatSpan(
              minutes * 60_000,
            )} before the trouble began`,
      at: liveUntil,
    };
  }
  const text = evidence.description.trim().replace(/\.$/, '');
  return { text: text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1) };
}
