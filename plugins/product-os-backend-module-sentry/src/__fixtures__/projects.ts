/*
 * The Sentry projects of the module's tests, and the catalog of services that claim them.
 */

export const PROJECTS = {
  checkout: {
    id: '4505',
    publicKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    slug: 'checkout-api',
  },
  billing: {
    id: '4506',
    publicKey: '0f9e8d7c6b5a49382716a5b4c3d2e1f0',
    slug: 'billing',
    organization: 'acme',
  },
  /** Configured, but no entity claims it. */
  orphan: {
    id: '4507',
    publicKey: '11112222333344445555666677778888',
    slug: 'legacy-cron',
  },
};

export const WEBHOOK_SECRET =
  'b8c4f3a2e1d0c9b8a7f6e5d4c3b2a190f1e2d3c4b5a69788';

const component = (name: string, slug: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'sentry.io/project-slug': slug },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments',
  },
});

export const ENTITIES = [
  component('checkout-api', 'checkout-api'),
  // Claims its project in the `organization/slug` form.
  component('billing-service', 'acme/billing'),
];

/** The same catalog as the test kit sees it: each entity with the annotations that claim. */
export const ANNOTATED_ENTITIES = ENTITIES.map(entity => ({
  entityRef: `component:default/${entity.metadata.name}`,
  annotations: entity.metadata.annotations,
}));
