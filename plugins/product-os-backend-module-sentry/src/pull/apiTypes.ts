/*
 * The fields of Sentry's API answers the pull reads, named as Sentry's OpenAPI description names
 * them (getsentry/sentry-api-schema). The local server of the tests answers with the whole
 * documented shapes and checks them against that description.
 */

/** An item of `GET /organizations/{org}/issues/`. */
export interface ApiIssue {
  id: string;
  title: string;
  culprit: string | null;
  permalink: string;
  level: string;
  status: string;
  /** Events within the queried period (`start`/`end`). */
  count: string;
  firstSeen: string | null;
  lastSeen: string | null;
  project: { id: string; slug: string };
  metadata: Record<string, unknown>;
  /** `24h`: 24 hourly `[epoch seconds, count]` pairs ending with the current hour. */
  stats: Record<string, Array<[number, number]>>;
  /** The issue over its whole life, beside the period's figures. */
  lifetime?: {
    count: string;
    firstSeen: string | null;
    lastSeen: string | null;
  } | null;
}

/** `GET /organizations/{org}/issues/{issue_id}/`, the field the list lacks. */
export interface ApiIssueDetails {
  firstRelease: { version: string } | null;
}

/** An entry's frames, as the API renders an event (camelCase, unlike the SDK's payload). */
export interface ApiFrame {
  filename?: string | null;
  absPath?: string | null;
  module?: string | null;
  function?: string | null;
  lineNo?: number | null;
  colNo?: number | null;
  inApp?: boolean | null;
  context?: Array<[number, string]> | null;
}

/** `GET /organizations/{org}/issues/{issue_id}/events/latest/`. */
export interface ApiEvent {
  eventID: string;
  title: string;
  culprit?: string | null;
  platform: string;
  dateCreated: string;
  release: { version: string } | null;
  tags: Array<{ key: string; value: string }>;
  entries: Array<{ type: string; data: any }>;
}

/** `GET /organizations/{org}/events-timeseries/`. */
export interface ApiTimeseries {
  timeSeries: Array<{
    values: Array<{ timestamp: number; value: number; incomplete: boolean }>;
    groupBy?: Array<{ key: string; value: unknown }>;
  }>;
}

/** An item of `GET /projects/{org}/{project}/releases/`. */
export interface ApiRelease {
  version: string;
  shortVersion: string;
  ref: string | null;
  url: string | null;
  dateCreated: string | null;
  dateReleased: string | null;
  commitCount: number;
  deployCount: number;
  /** The release's newest commit, as its commit list renders it. */
  lastCommit: ApiCommit | null;
  /** The release's newest deploy, as its deploy list renders it. */
  lastDeploy: ApiDeploy | null;
}

/** An item of `GET /projects/{org}/{project}/releases/{version}/commits/`. */
export interface ApiCommit {
  id: string;
  message: string | null;
  dateCreated: string;
  author?: { name?: string; email?: string } | null;
}

/** An item of `GET /organizations/{org}/releases/{version}/deploys/`. */
export interface ApiDeploy {
  id: string;
  environment: string;
  dateStarted: string | null;
  dateFinished: string;
  name: string | null;
  url: string | null;
}

/** Epoch ms of an ISO date-time, or undefined. */
export function timeOf(value: string | null | undefined): number | undefined {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}
