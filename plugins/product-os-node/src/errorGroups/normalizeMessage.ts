const UUID =
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const TIME = /\b\d{4}-\d{2}-\d{2}[T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?\b/g;
const EMAIL = /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g;
// A quoted string starts and ends at a word boundary, so "can't" is no quote.
const QUOTED = /(^|[^\w])(["'`])(?:(?!\2).)*\2(?=$|[^\w])/g;
const HEX_PREFIXED = /\b0x[0-9a-f]+\b/gi;
// Runs of 8+ hex digits with at least one digit and one letter: object ids, hashes, trace ids.
const HEX_ID = /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi;
// A number standing on its own or before a unit (`3000ms`, `50%`); the digits of a name such as
// `utf8` or `v2` stay, since they do not vary between occurrences.
const NUMBER = /\b\d+(?:\.\d+)?(?=[a-z%]*\b)/gi;

/** The longest normalized message kept. */
const MAX_LENGTH = 1024;

/**
 * Replaces the parts of an error message that vary between occurrences of the same error (UUIDs,
 * times, e-mail addresses, quoted strings, hex ids, numbers) with placeholders, so that "User 42
 * not found" and "User 43 not found" group together. Every source groups with this one, so an
 * error reported by two sources is grouped alike.
 *
 * @public
 */
export function normalizeMessage(message: string): string {
  return message
    .replace(UUID, '<uuid>')
    .replace(TIME, '<time>')
    .replace(EMAIL, '<email>')
    .replace(QUOTED, '$1<str>')
    .replace(HEX_PREFIXED, '<hex>')
    .replace(HEX_ID, '<hex>')
    .replace(NUMBER, '<num>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_LENGTH);
}
