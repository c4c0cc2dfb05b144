import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';

/** `group:default/payments` -> `payments`; keeps the kind or namespace when they are not the usual. */
export function shortRef(entityRef: string, defaultKind: string): string {
  return humanizeEntityRef(parseEntityRef(entityRef), { defaultKind });
}
