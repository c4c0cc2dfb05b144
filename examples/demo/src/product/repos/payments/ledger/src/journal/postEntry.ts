export class UnbalancedEntryError extends Error {
  name = 'UnbalancedEntryError';
}

/** Posts a journal entry; debits and credits must cancel out to the cent. */
export function postEntry(
  entryId: number,
  debitCents: number,
  creditCents: number,
): void {
  if (debitCents !== creditCents) {
    throw new UnbalancedEntryError(`Journal entry ${entryId} does not balance`);
  }
}
