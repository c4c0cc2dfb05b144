import type { ChangeEvent } from '@internal/plugin-product-os-common';
import { iso, num, opt, optIso, optNum, parseJson, Row } from '../rowValues';

/** A `change_events` row (also read joined to a diagnosis' suspects). */
export function toChangeEvent(row: Row): ChangeEvent {
  return {
    id: num(row.id),
    entityRef: row.entity_ref,
    source: row.source,
    kind: row.kind,
    externalId: row.external_id,
    title: row.title,
    author: opt(row.author),
    sha: opt(row.sha),
    number: optNum(row.number),
    environment: opt(row.environment),
    status: opt(row.status),
    url: opt(row.url),
    occurredAt: iso(row.occurred_at),
    finishedAt: optIso(row.finished_at),
    files: parseJson<string[]>(row.files, []),
  };
}
