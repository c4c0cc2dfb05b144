import { num, opt, optNum, parseJson, Row } from '../rowValues';
import type {
  ErrorBucketRecord,
  ErrorGroupRecord,
  ErrorSampleRecord,
} from './ErrorStore';

export function toErrorGroupRecord(row: Row): ErrorGroupRecord {
  return {
    id: num(row.id),
    entityRef: row.entity_ref,
    source: row.source,
    fingerprint: row.fingerprint,
    title: row.title,
    culprit: opt(row.culprit),
    level: row.level,
    status: row.status,
    firstSeen: num(row.first_seen),
    lastSeen: num(row.last_seen),
    firstRelease: opt(row.first_release),
    resolvedAt: optNum(row.resolved_at),
    regressedAt: optNum(row.regressed_at),
    topFrames: parseJson(row.top_frames, []),
    permalink: opt(row.permalink),
    eventCount: num(row.event_count),
  };
}

export function toErrorBucketRecord(row: Row): ErrorBucketRecord {
  return {
    groupId: num(row.group_id),
    bucketStart: num(row.bucket_start),
    count: num(row.count),
    users: num(row.users),
  };
}

export function toErrorSampleRecord(row: Row): ErrorSampleRecord {
  return {
    groupId: num(row.group_id),
    timestamp: num(row.timestamp),
    release: opt(row.release),
  };
}
