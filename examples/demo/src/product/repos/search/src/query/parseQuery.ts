/** Parses a shopper's search query; an unbalanced quote is a syntax error. */
export function parseQuery(query: string): string[] {
  if ((query.match(/"/g) ?? []).length % 2 === 1) {
    throw new SyntaxError(
      `Unterminated quote in query at position ${query.indexOf('"')}`,
    );
  }
  return query.split(/\s+/).filter(Boolean);
}
