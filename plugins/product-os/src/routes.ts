import { createRouteRef } from '@backstage/core-plugin-api';

/** The leaders' page. @public */
export const rootRouteRef = createRouteRef({ id: 'product-os' });
