import type { EvidenceInput } from '../../database/anomalies/DiagnosisStore';
import type { Research } from '../research/researchAnomaly';
import type { Signal } from '../types';
import { flag } from './applyNarration';
import { detectInstructions } from './detectInstructions';

/**
 * The first step after research, for every anomaly, narrator or not: the text from outside
 * behind each signal (error messages and culprits of its error groups, incident titles, the
 * signals of troubled dependencies) that reads like an instruction to the agent, as
 * `untrusted_instruction` evidence. Nothing is done because of such text; it is flagged so a
 * person sees it, and so a narrator's answer is not used (see narrateDiagnosis).
 */
export function screenResearch(research: Research): EvidenceInput[] {
  const flags: EvidenceInput[] = [];
  const seen = new Set<string>();
  const screen = (
    where: string,
    text: string | undefined,
    entityRef?: string,
  ) => {
    if (!text) return;
    const reasons = detectInstructions(text);
    if (reasons.length === 0) return;
    const item = flag(where, reasons, text, entityRef);
    if (seen.has(item.description)) return;
    seen.add(item.description);
    flags.push(item);
  };
  for (const { group } of research.groups) {
    screen(`the message of error group ${group.id}`, group.title);
    screen(`the culprit of error group ${group.id}`, group.culprit);
  }
  const signals = (list: Signal[], entityRef?: string) => {
    for (const signal of list) {
      if (signal.incident)
        screen(
          `the title of incident ${signal.incident.id}`,
          signal.incident.title,
          entityRef,
        );
      screen(`the ${signal.kind} signal`, signal.description, entityRef);
    }
  };
  signals(research.details.signals);
  for (const dependency of research.troubledDependencies)
    signals(dependency.signals, dependency.entityRef);
  return flags;
}

/** The flags of both screenings, each piece of text once (the same excerpt, the same reasons). */
export function mergeFlags(
  first: EvidenceInput[],
  second: EvidenceInput[],
): EvidenceInput[] {
  const quoted = (e: EvidenceInput) =>
    e.description.replace(/^Text in .*? reads/, 'reads');
  const seen = new Set(first.map(quoted));
  return [...first, ...second.filter(e => !seen.has(quoted(e)))];
}
