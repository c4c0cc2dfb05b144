import type { ChangeEventInput } from '@internal/plugin-product-os-node';
import type { ChangeEventV2 } from './parseEvents';

const SHA_FIELDS = ['sha', 'commit', 'commit_sha', 'git_sha', 'revision'];
const ENVIRONMENT_FIELDS = ['environment', 'env'];

/**
 * Maps an Events API change event to a Product OS change of kind `change`. A commit sha and an
 * environment are taken from `custom_details` when it names them (`sha`, `commit`, `commit_sha`,
 * `git_sha` or `revision`; `environment` or `env`), so the change can be matched to a deploy.
 */
export function mapChangeEvent(
  event: ChangeEventV2,
  options: { entityRef: string; externalId: string; receivedAt: number },
): ChangeEventInput {
  const sha = firstString(event.customDetails, SHA_FIELDS, value =>
    /^[0-9a-f]{7,40}$/i.test(value),
  );
  const environment = firstString(
    event.customDetails,
    ENVIRONMENT_FIELDS,
    value => value.length <= 100,
  );
  return {
    entityRef: options.entityRef,
    source: 'pagerduty',
    kind: 'change',
    externalId: options.externalId,
    title: event.summary,
    sha: sha?.toLowerCase(),
    environment,
    url: event.links[0]?.href,
    occurredAt: event.timestamp ?? options.receivedAt,
  };
}

function firstString(
  details: Record<string, unknown>,
  fields: string[],
  accept: (value: string) => boolean,
): string | undefined {
  for (const field of fields) {
    const value = details[field];
    if (typeof value === 'string' && value && accept(value)) return value;
  }
  return undefined;
}
