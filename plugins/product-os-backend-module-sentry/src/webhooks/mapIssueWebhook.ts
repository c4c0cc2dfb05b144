import { InputError } from '@backstage/errors';
import type { ErrorGroupStatus } from '@internal/plugin-product-os-common';
import { TEXT_LIMITS } from '../events/bounds';
import {
  asObject,
  asString,
  asText,
  JsonObject,
  truncate,
} from '../events/values';
import { issueFingerprint } from './issueFingerprint';

/** A Sentry issue as an `issue` webhook reports it. */
export interface IssueUpdate {
  action: string;
  issueId: string;
  fingerprint: string;
  project: { slug: string; id?: string };
  status: ErrorGroupStatus;
  title: string;
  culprit?: string;
  level: string;
  firstSeen?: number;
  permalink?: string;
  /** The release of the issue's first event, when known (a pull looks it up). */
  firstRelease?: string;
}

/**
 * Reads an `issue` webhook (`created`, `resolved`, `assigned`, `archived`/`ignored`,
 * `unresolved`). The status is the issue's own after the change; Sentry's `archived` is Product
 * OS's `ignored`.
 */
export function mapIssueWebhook(body: JsonObject): IssueUpdate {
  const action = asString(body.action, 64);
  const issue = asObject(asObject(body.data)?.issue);
  const issueId = asString(issue?.id, 64);
  const project = asObject(issue?.project);
  const slug = asString(project?.slug, 256);
  if (!action || !issue || !issueId || !slug) {
    throw new InputError(
      'Issue webhook lacks action, data.issue.id or data.issue.project.slug',
    );
  }
  const metadata = asObject(issue.metadata);
  const fallbackTitle = truncate(
    [asString(metadata?.type), asString(metadata?.value)]
      .filter(Boolean)
      .join(': '),
    TEXT_LIMITS.title,
  );
  const firstSeen = Date.parse(asString(issue.firstSeen, 64) ?? '');
  return {
    action,
    issueId,
    fingerprint: issueFingerprint(issueId),
    project: { slug, id: asString(project?.id, 32) },
    status: statusOf(action, asString(issue.status, 32)),
    title:
      asText(issue.title, TEXT_LIMITS.title) ??
      (fallbackTitle || `Sentry issue ${issueId}`),
    culprit: asText(issue.culprit, TEXT_LIMITS.culprit),
    level: asText(issue.level, TEXT_LIMITS.level) ?? 'error',
    firstSeen:
      Number.isFinite(firstSeen) && firstSeen > 0 ? firstSeen : undefined,
    permalink: asString(issue.permalink, 1024) ?? asString(issue.web_url, 1024),
  };
}

/** The Product OS status of a Sentry issue after `action`; Sentry's `archived` is `ignored`. */
export function statusOf(action: string, status?: string): ErrorGroupStatus {
  switch (action) {
    case 'resolved':
      return 'resolved';
    case 'archived':
    case 'ignored':
      return 'ignored';
    case 'unresolved':
      return 'unresolved';
    default:
      if (status === 'resolved') return 'resolved';
      if (status === 'ignored' || status === 'archived') return 'ignored';
      return 'unresolved';
  }
}
