import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  DiagnosisNarrator,
  NarrationSentence,
} from '@internal/plugin-product-os-node';
import type { EvidenceInput } from '../../database/anomalies/DiagnosisStore';
import {
  applyNarration,
  DroppedSentence,
  flagUntrustedInput,
} from './applyNarration';
import {
  buildNarrationInput,
  NarrateDiagnosisInput,
} from './buildNarrationInput';

/** Why the deterministic summary stands. */
export type NarrationFallbackReason =
  | 'no_narrator'
  | 'failed'
  | 'timed_out'
  | 'untrusted_instruction'
  | 'no_cited_sentence';

/** The summary to store and the flags to add to the diagnosis' evidence. */
export interface NarrationOutcome {
  /** The narrated summary, or the deterministic one (see `fallbackReason`). */
  summary: string;
  narrated: boolean;
  fallbackReason?: NarrationFallbackReason;
  /** Evidence of kind `untrusted_instruction`, to append to the diagnosis' `evidence`. */
  flags: EvidenceInput[];
  /** The sentences kept, citing ids of the narration input (`E<n>`, `S<rank>`, `I1`). */
  sentences: NarrationSentence[];
  dropped: DroppedSentence[];
}

export interface NarrateDiagnosisOptions {
  /** The narration is abandoned after this long. */
  timeoutMs: number;
  logger?: LoggerService;
}

class NarrationTimeout extends Error {}

/** Runs `narrate`, giving up after `timeoutMs` even when the narrator ignores the signal. */
async function withTimeout<T>(
  timeoutMs: number,
  narrate: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new NarrationTimeout(
        `Narration took longer than ${timeoutMs} ms`,
      );
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([narrate(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Lets the narrator, if there is one, rewrite a deterministic diagnosis' summary, bound to its
 * evidence. Text from outside that reads like an instruction is always flagged; when there is
 * any, the narrator's answer is not used at all, since it may follow that text. The
 * deterministic summary stands whenever the narrator is absent, fails, times out or leaves no
 * sentence that cites evidence. Never throws.
 *
 * ```ts
 * const narration = await narrateDiagnosis(narrator, { diagnosis, changes }, { timeoutMs });
 * await store.createDiagnosis({
 *   ...diagnosis,
 *   summary: narration.summary,
 *   evidence: [...diagnosis.evidence, ...narration.flags],
 * });
 * ```
 */
export async function narrateDiagnosis(
  narrator: DiagnosisNarrator | undefined,
  subject: NarrateDiagnosisInput,
  options: NarrateDiagnosisOptions,
): Promise<NarrationOutcome> {
  const { input, origins, entities } = buildNarrationInput(subject);
  const inputFlags = flagUntrustedInput(input, origins, entities);
  const deterministic = (
    fallbackReason: NarrationFallbackReason,
    extra: Partial<NarrationOutcome> = {},
  ): NarrationOutcome => ({
    summary: input.summary,
    narrated: false,
    fallbackReason,
    flags: inputFlags,
    sentences: [],
    dropped: [],
    ...extra,
  });
  const log = { entityRef: input.entityRef, narrator: narrator?.id };

  if (inputFlags.length) {
    options.logger?.warn(
      'Text from outside reads like an instruction to the agent; flagged',
      {
        ...log,
        flags: inputFlags.length,
      },
    );
  }
  if (!narrator) return deterministic('no_narrator');

  let answer: unknown;
  try {
    answer = await withTimeout(options.timeoutMs, signal =>
      narrator.narrate(input, signal),
    );
  } catch (error) {
    const timedOut = error instanceof NarrationTimeout;
    options.logger?.warn('Narration failed; the deterministic summary stands', {
      ...log,
      reason: timedOut ? 'timeout' : String((error as Error)?.message ?? error),
    });
    return deterministic(timedOut ? 'timed_out' : 'failed');
  }

  const checked = applyNarration(input, answer);
  const flags = [...inputFlags, ...checked.flags];
  if (inputFlags.length) {
    return deterministic('untrusted_instruction', {
      flags,
      dropped: checked.dropped,
    });
  }
  if (checked.sentences.length === 0) {
    options.logger?.info(
      'No narrated sentence cites evidence; the deterministic summary stands',
      log,
    );
    return deterministic('no_cited_sentence', {
      flags,
      dropped: checked.dropped,
    });
  }
  return {
    summary: checked.sentences.map(sentence => sentence.text).join(' '),
    narrated: true,
    flags,
    sentences: checked.sentences,
    dropped: checked.dropped,
  };
}
