import {
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/**
 * A permissions service that allows everything except what `denies` says no to, judged by the
 * permission's name and the calling user's entity ref (undefined for a service), so a route test
 * can give one reader less than another.
 */
export function permissionsDenying(
  denies: (permission: string, userEntityRef: string | undefined) => boolean,
) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: (): PermissionsService => ({
      async authorize(requests, options) {
        const user = (
          options.credentials.principal as { userEntityRef?: string }
        ).userEntityRef;
        return requests.map(r => ({
          result: denies(r.permission.name, user)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        }));
      },
      async authorizeConditional(requests) {
        return requests.map(() => ({ result: AuthorizeResult.ALLOW } as const));
      },
    }),
  });
}
