import type { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * Who did it, for a diagnosis' history and the audit log: a user's entity ref, or a calling
 * service's subject.
 */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef)
    return principal.userEntityRef;
  return principal.subject ?? 'unknown';
}
