import { SentryErrorEvent, toErrorEvent } from '../events/toErrorEvent';
import type { JsonObject } from '../events/values';
import { issueFingerprint } from '../webhooks/issueFingerprint';
import type { ApiEvent, ApiFrame } from './apiTypes';

/**
 * An issue's event as the API renders it, stored as the webhooks store an `error` event: in the
 * group `sentry-issue:<issue id>`, under its own event id, so the same event pulled and delivered
 * by webhook is one sample. The API's shape (`entries`, camelCase frames, tags as a list) is put
 * back into the SDK's before the shared mapping trims and groups it.
 */
export function mapApiEvent(
  event: ApiEvent,
  issue: { id: string; projectId: string; permalink?: string },
  receivedAt: number,
): SentryErrorEvent {
  const tags = new Map(event.tags.map(tag => [tag.key, tag.value]));
  const exception = event.entries.find(entry => entry.type === 'exception');
  const message = event.entries.find(entry => entry.type === 'message');
  const sdkEvent: JsonObject = {
    event_id: event.eventID,
    timestamp: event.dateCreated,
    platform: event.platform,
    title: event.title,
    culprit: event.culprit ?? undefined,
    level: tags.get('level') ?? 'error',
    release: event.release?.version,
    environment: tags.get('environment'),
    tags: [...tags].filter(([key]) => !key.startsWith('user')),
    message: message?.data?.formatted ?? undefined,
    exception: exception && {
      values: (exception.data?.values ?? []).map((value: any) => ({
        type: value.type ?? undefined,
        value: value.value ?? undefined,
        module: value.module ?? undefined,
        mechanism: value.mechanism ?? undefined,
        stacktrace: value.stacktrace && {
          frames: (value.stacktrace.frames ?? []).map(sdkFrame),
        },
      })),
    },
  };
  return toErrorEvent(sdkEvent, {
    projectId: issue.projectId,
    receivedAt,
    fingerprint: issueFingerprint(issue.id),
    permalink: issue.permalink,
  });
}

function sdkFrame(frame: ApiFrame): JsonObject {
  const line = frame.context?.find(([lineNo]) => lineNo === frame.lineNo);
  return {
    filename: frame.filename ?? undefined,
    abs_path: frame.absPath ?? undefined,
    module: frame.module ?? undefined,
    function: frame.function ?? undefined,
    lineno: frame.lineNo ?? undefined,
    colno: frame.colNo ?? undefined,
    in_app: frame.inApp ?? undefined,
    context_line: line?.[1],
  };
}
