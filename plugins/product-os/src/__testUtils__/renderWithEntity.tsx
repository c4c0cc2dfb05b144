import { ReactElement } from 'react';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ProductOsApi, productOsApiRef } from '../api';
import { checkoutEntity } from './fixtures';

/** Renders a Product OS element on an entity page, with a fake API and permissions. */
export function renderWithEntity(
  element: ReactElement,
  options: {
    api: ProductOsApi;
    entity?: Entity;
    /** Whether every permission check passes; they do unless told otherwise. */
    permission?: 'allow' | 'deny';
  },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [productOsApiRef, options.api],
        [permissionApiRef, fakePermissionApi(options.permission ?? 'allow')],
      ]}
    >
      <EntityProvider entity={options.entity ?? checkoutEntity}>
        {element}
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** A permission API that answers every check the same way. */
export function fakePermissionApi(decision: 'allow' | 'deny'): PermissionApi {
  // AuthorizeResult is a string enum of @backstage/plugin-permission-common, which this
  // package does not depend on; its values are these strings.
  const result = (decision === 'allow' ? 'ALLOW' : 'DENY') as any;
  return { authorize: async () => ({ result }) };
}
