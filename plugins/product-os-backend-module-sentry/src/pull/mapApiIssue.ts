import { TEXT_LIMITS } from '../events/bounds';
import { asText, truncate } from '../events/values';
import { issueFingerprint } from '../webhooks/issueFingerprint';
import { IssueUpdate, statusOf } from '../webhooks/mapIssueWebhook';
import { ApiIssue, timeOf } from './apiTypes';

/**
 * A pulled issue as the `issue` webhook would describe it, so both paths key and write the group
 * alike (`sentry-issue:<id>`, created with the first event Sentry saw). Its first and last seen
 * and total are the issue's lifetime figures where the answer has them, not the queried period's.
 */
export function mapApiIssue(
  issue: ApiIssue,
  firstRelease?: string,
): IssueUpdate & { lastSeen?: number; total: number } {
  const lifetime = issue.lifetime ?? undefined;
  const metadataTitle = [issue.metadata?.type, issue.metadata?.value]
    .filter(part => typeof part === 'string' && part)
    .join(': ');
  return {
    action: 'pull',
    issueId: issue.id,
    fingerprint: issueFingerprint(issue.id),
    project: { slug: issue.project.slug, id: issue.project.id },
    status: statusOf('pull', issue.status),
    title:
      asText(issue.title, TEXT_LIMITS.title) ??
      (truncate(metadataTitle, TEXT_LIMITS.title) ||
        `Sentry issue ${issue.id}`),
    culprit: asText(issue.culprit, TEXT_LIMITS.culprit),
    level: asText(issue.level, TEXT_LIMITS.level) ?? 'error',
    firstSeen: timeOf(lifetime?.firstSeen) ?? timeOf(issue.firstSeen),
    lastSeen: timeOf(lifetime?.lastSeen) ?? timeOf(issue.lastSeen),
    permalink: issue.permalink?.slice(0, 1024),
    firstRelease,
    total: Number(lifetime?.count ?? issue.count) || 0,
  };
}
