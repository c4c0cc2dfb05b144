import type { TextPart } from '../../database/anomalies/DiagnosisStore';

/** What a reader is told instead of a change of an entity they may not see. */
export const HIDDEN_CHANGE = 'a change in a dependency you cannot see';
/** What a reader is told instead of the name of an entity they may not see. */
export const HIDDEN_DEPENDENCY = 'a dependency you cannot see';

/** Plain text, about the diagnosed entity only. */
export function plain(text: string): TextPart {
  return { text };
}

/** Text about another entity, and what to say instead to a reader who may not see it. */
export function about(
  entityRef: string | undefined,
  text: string,
  hidden: string,
): TextPart {
  return entityRef ? { text, entityRef, hidden } : { text };
}

/** The text of the parts, with those about a `hidden` entity said without it. */
export function renderParts(
  parts: TextPart[],
  hidden: ReadonlySet<string> = new Set(),
): string {
  return parts
    .map(part =>
      part.entityRef && hidden.has(part.entityRef)
        ? part.hidden ?? ''
        : part.text,
    )
    .join('');
}
