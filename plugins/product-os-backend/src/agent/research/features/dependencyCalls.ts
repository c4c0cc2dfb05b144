import type { EntityContext } from '../../types';
import type { ScopeGroup } from './scopeGroups';

/**
 * Words too common in service names to say which service an error is about on their own
 * (`auth-service` is named by "auth service", never by "service").
 */
const GENERIC_WORDS = new Set([
  'service',
  'services',
  'api',
  'app',
  'web',
  'server',
  'client',
  'backend',
  'frontend',
  'svc',
]);

/**
 * Messages of failures on the far side of a call: the network, a name server, a certificate or
 * a gateway, not the caller's code (a caller's own bug reads as a type, validation or state
 * error). Worded as Node (`ETIMEDOUT`), Python's requests, urllib3 and botocore (`Read timed
 * out`, `NameResolutionError`, `Could not connect to the endpoint URL`), Java's JDK, Spring and
 * AWS SDK (`SocketTimeoutException`, `UnknownHostException`, `Unable to execute HTTP request`)
 * and Go's net/http (`i/o timeout`, `context deadline exceeded`, `no such host`, `x509:`) say
 * them.
 */
const REMOTE_FAILURE = new RegExp(
  [
    // Node
    '\\b(ETIMEDOUT|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|EAI_AGAIN|ENOTFOUND)\\b',
    'socket hang up',
    // Gateways and unavailable services, however a client words the status
    '\\b502\\b.{0,40}bad gateway|bad gateway',
    '\\b503\\b.{0,40}service unavailable|service unavailable',
    '\\b504\\b.{0,40}gateway time-?out|gateway time-?out',
    // Connections that could not be made or timed out
    'connection (refused|reset|timed out)',
    'connect(ion)? timed out',
    'read timed out',
    'i/o timeout',
    'context deadline exceeded',
    'could not connect to the endpoint',
    'unable to execute http request',
    'failed to establish a new connection',
    'max retries exceeded',
    '\\b(SocketTimeoutException|ConnectException|ConnectTimeoutException|HttpHostConnectException|ConnectTimeout|ReadTimeout|EndpointConnectionError|ConnectTimeoutError)\\b',
    // Names that do not resolve
    'no such host',
    'name or service not known',
    'name resolution',
    'NameResolutionError',
    'UnknownHostException',
    'getaddrinfo',
    'temporary failure in name resolution',
    // Certificates the far side presents
    'certificate (has )?expired',
    'certificate verify failed',
    'x509:',
    'PKIX path',
    'SSLHandshakeException',
  ].join('|'),
  'i',
);

/** Failed calls to dependencies and to other services among an anomaly's error groups. */
export interface DependencyCalls {
  /** Per dependency, the share of the anomaly's errors that are failed calls to it. */
  shares: Map<string, number>;
  /** The error groups that are failed calls to a dependency, by id, with the dependencies called. */
  groups: Map<number, Set<string>>;
  /** Ids of the groups that are failed outbound calls: to a dependency, or failing remotely. */
  outbound: Set<number>;
}

/**
 * Error groups that are failed calls to a dependency: the title (`payments-api responded 502`)
 * or the innermost in-app frame's file (`paymentsApiClient.ts`) names it. Such an error is where
 * the entity noticed the trouble, not where it began: a dependency that reports no errors of
 * its own is implicated by them, and the entity's own code is to be judged only where it makes
 * the call. The same holds for a call to any other service that failed on the far side (a
 * connection timed out or refused, a gateway error), named or not.
 */
export function dependencyCalls(
  groups: ScopeGroup[],
  dependencies: EntityContext[],
): DependencyCalls {
  const shares = new Map<string, number>();
  const called = new Map<number, Set<string>>();
  const outbound = new Set<number>();
  const phrasesOf = dependencies.map(d => ({
    entityRef: d.entityRef,
    phrases: namePhrases(d.name),
  }));
  for (const { group, share } of groups) {
    const innermost = group.topFrames.find(f => f.inApp);
    const texts = [
      words(group.title),
      innermost ? words(fileStem(innermost.filename)) : [],
    ];
    if (REMOTE_FAILURE.test(group.title)) outbound.add(group.id);
    for (const { entityRef, phrases } of phrasesOf) {
      if (!phrases.some(phrase => texts.some(text => contains(text, phrase))))
        continue;
      shares.set(entityRef, (shares.get(entityRef) ?? 0) + share);
      called.set(
        group.id,
        new Set([...(called.get(group.id) ?? []), entityRef]),
      );
      outbound.add(group.id);
    }
  }
  return { shares, groups: called, outbound };
}

/**
 * The word sequences that name an entity: its name and each shorter ending of it that is not
 * a generic word alone, since catalog names often carry a prefix (a system, a namespace) that
 * error messages and client classes leave out.
 */
export function namePhrases(name: string): string[][] {
  const all = words(name);
  const phrases: string[][] = [];
  for (let start = 0; start < all.length; start++) {
    const phrase = all.slice(start);
    if (
      phrase.length === 1 &&
      (GENERIC_WORDS.has(phrase[0]) || phrase[0].length < 4)
    )
      continue;
    phrases.push(phrase);
  }
  return phrases;
}

/** Lower-case words, split at punctuation and at case changes (`authServiceClient`). */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function fileStem(path: string): string {
  return (path.split(/[\\/]/).pop() ?? '').replace(/\.[^.]*$/, '');
}

function contains(text: string[], phrase: string[]): boolean {
  for (let i = 0; i + phrase.length <= text.length; i++) {
    if (phrase.every((word, j) => text[i + j] === word)) return true;
  }
  return false;
}
