/*
 * Which database errors mean "the database cannot be reached right now" (retry later, 503)
 * rather than "this write is wrong" (a bug or bad input): lost or refused connections, a pool
 * that could not get one, a server shutting down, SQLite's file busy or failing.
 */

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** PostgreSQL SQLSTATEs: admin/crash shutdown, cannot connect now, too many connections. */
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

const SQLITE_CODES =
  /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|PROTOCOL|NOMEM)(_|$)/;

const MESSAGES = [
  /Timeout acquiring a connection/i,
  /Connection terminated/i,
  /Client has encountered a connection error/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** Whether `error` (or what caused it) says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (e.name === 'KnexTimeoutError') return true;
    const code = typeof e.code === 'string' ? e.code : '';
    if (NETWORK_CODES.has(code) || PG_CODES.has(code)) return true;
    // Class 08: connection exceptions.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    if (SQLITE_CODES.test(code)) return true;
    // An AggregateError of every address tried (Node's happy eyeballs).
    if (Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable))
      return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (MESSAGES.some(pattern => pattern.test(message))) return true;
  }
  return false;
}

/** A short reason for the log: the error's code and message. */
export function unavailableReason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return [e?.code, e?.message].filter(Boolean).join(': ') || String(error);
}
