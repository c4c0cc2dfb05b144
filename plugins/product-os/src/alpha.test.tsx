import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import productOsPlugin, {
  productOsEntityContent,
  productOsErrorTrendsCard,
  productOsIncidentHistoryCard,
  productOsPage,
  productOsTeamHealthCard,
  productOsTimelineCard,
} from './alpha';
import { productOsApiRef } from './api';
import { createFakeProductOsApi } from './__testUtils__/fakeApi';
import { checkoutEntity, unannotatedEntity } from './__testUtils__/fixtures';

const apiEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: {
    name: 'checkout-api',
    annotations: checkoutEntity.metadata.annotations,
  },
  spec: { type: 'openapi' },
};

const teamEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments' },
  spec: { type: 'team', children: [] },
};

const pagerDutyKeyOnly: Entity = {
  ...checkoutEntity,
  metadata: {
    name: 'checkout',
    annotations: { 'pagerduty.com/integration-key': 'R0UT1NGK3Y' },
  },
};

describe('product-os frontend plugin (new frontend system)', () => {
  it('is the product-os plugin with an API, a page, a tab and seven cards', () => {
    expect(productOsPlugin.pluginId).toBe('product-os');
    expect(productOsPlugin.routes.root).toBeDefined();
    // The ids apps use to configure or disable the extensions, as the README lists them.
    for (const id of [
      'api:product-os',
      'page:product-os',
      'entity-content:product-os',
      'entity-card:product-os/error-trends',
      'entity-card:product-os/analytics',
      'entity-card:product-os/incident-history',
      'entity-card:product-os/changes',
      'entity-card:product-os/diagnoses',
      'entity-card:product-os/timeline',
      'entity-card:product-os/team-health',
    ] as const) {
      expect(productOsPlugin.getExtension(id)).toBeDefined();
    }
  });

  it('adds a "Product OS" tab at /product-os to components, systems and groups', () => {
    const tester = createExtensionTester(productOsEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/product-os');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Product OS',
    );

    const applies = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(applies(checkoutEntity)).toBe(true);
    expect(applies({ ...checkoutEntity, kind: 'System' })).toBe(true);
    expect(applies(teamEntity)).toBe(true);
    expect(applies(apiEntity)).toBe(false);
  });

  it("puts the team's health on groups' overviews only", () => {
    const teamHealth = createExtensionTester(productOsTeamHealthCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(teamHealth(teamEntity)).toBe(true);
    expect(teamHealth(checkoutEntity)).toBe(false);
  });

  it('shows each card only on entities with the annotation it needs', () => {
    const errors = createExtensionTester(productOsErrorTrendsCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(errors(checkoutEntity)).toBe(true);
    expect(errors(unannotatedEntity)).toBe(false);
    expect(errors(pagerDutyKeyOnly)).toBe(false);
    expect(errors(apiEntity)).toBe(false);

    const incidents = createExtensionTester(productOsIncidentHistoryCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(incidents(pagerDutyKeyOnly)).toBe(true);
    expect(incidents(unannotatedEntity)).toBe(false);

    const timeline = createExtensionTester(productOsTimelineCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(timeline(pagerDutyKeyOnly)).toBe(true);
    expect(timeline(unannotatedEntity)).toBe(false);
  });

  it('mounts the leaders page at /product-os', async () => {
    expect(
      createExtensionTester(productOsPage).get(coreExtensionData.routePath),
    ).toBe('/product-os');

    const api = createFakeProductOsApi();
    renderTestApp({
      features: [productOsPlugin],
      apis: [
        [productOsApiRef, api],
        [catalogApiRef, catalogApiMock()],
      ],
      initialRouteEntries: ['/product-os'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });

    expect(
      // The page is lazily loaded (see setupTests.ts for how long a wait may take).
      await screen.findByRole('link', { name: 'Checkout' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout/product-os');
    expect(api.getHealth).toHaveBeenCalled();
  });
});
