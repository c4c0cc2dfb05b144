import type { IngestWriter } from '@internal/plugin-product-os-node';
import type { IssueUpdate } from './mapIssueWebhook';

/**
 * Applies an `issue` webhook to the entities' error groups. An issue heard of for the first time
 * (`created`, or any change to an issue older than the integration) becomes a group with one
 * event, the first one Sentry saw, at `firstSeen`: a group is listed by its events, and Sentry
 * created the issue for exactly that event.
 */
export async function applyIssueUpdate(
  writer: IngestWriter,
  entityRefs: string[],
  update: IssueUpdate,
  at: number,
): Promise<void> {
  for (const entityRef of entityRefs) {
    const status = {
      entityRef,
      source: 'sentry' as const,
      fingerprint: update.fingerprint,
      status: update.status,
      at,
      title: update.title,
      permalink: update.permalink,
    };
    if (await writer.updateErrorGroupStatus(status)) continue;
    await writer.recordErrorEvents([
      {
        entityRef,
        source: 'sentry',
        fingerprint: update.fingerprint,
        // Unique per entity, since event ids are unique per source.
        eventId: `${update.fingerprint}:first:${entityRef}`,
        title: update.title,
        culprit: update.culprit,
        level: update.level,
        timestamp: Math.min(update.firstSeen ?? at, at),
        release: update.firstRelease,
        topFrames: [],
        permalink: update.permalink,
        payload: { sentryIssueId: update.issueId, action: update.action },
      },
    ]);
    if (update.status !== 'unresolved')
      await writer.updateErrorGroupStatus(status);
  }
}
