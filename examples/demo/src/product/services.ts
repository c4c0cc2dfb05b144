import { chargeOrder } from './repos/checkout-api/src/payments/paymentsClient';
import { validateOrder } from './repos/checkout-api/src/orders/validateOrder';
import { submitCheckout } from './repos/webshop/apps/storefront/src/api/checkoutClient';
import { heroImageUrl } from './repos/webshop/apps/storefront/src/pages/productPage';
import { reserveStock } from './repos/webshop/services/catalog/src/stock/reserveStock';
import { parseQuery } from './repos/search/src/query/parseQuery';
import { chargeCard } from './repos/payments/api/src/provider/charge';
import { postEntry } from './repos/payments/ledger/src/journal/postEntry';
import { sendEmail } from './repos/notifications/src/email/sendEmail';
import type { Random } from './random';

/** One way a service fails in the background, as often as its weight says. */
export interface ErrorSource {
  weight: number;
  /** Runs the service's code with input that makes it throw. */
  raise(random: Random): void;
}

/** A product metric the service reports to PostHog, per hour at the evening peak. */
export interface DemoMetric {
  event: string;
  perHour: number;
}

/**
 * A service of the demo web shop, with what Product OS needs to know of it. The names, keys
 * and repositories match the annotations in `examples/entities.yaml` and the sources in
 * `examples/demo/app-config.yaml`.
 */
export interface DemoService {
  name: string;
  repository: string;
  /** Where the service lives in its repository ('' for all of it). */
  path: string;
  /** Files background pull requests touch, relative to `path`. */
  files: string[];
  authors: string[];
  sentry: { projectId: string; publicKey: string };
  errorsPerHour: number;
  errors: ErrorSource[];
  posthog?: { projectKey: string; metrics: DemoMetric[] };
  pagerduty?: { serviceId?: string; routingKey?: string };
  /** Deploys on a working day, on average. */
  deploysPerDay: number;
}

export const checkoutApi: DemoService = {
  name: 'checkout-api',
  repository: 'acme/checkout-api',
  path: '',
  files: [
    'src/orders/validateOrder.ts',
    'src/orders/listOrders.ts',
    'src/payments/paymentsClient.ts',
    'src/api/routes.ts',
    'src/config/featureFlags.ts',
    'package.json',
    'README.md',
  ],
  authors: ['dana', 'lee'],
  sentry: { projectId: '101', publicKey: 'deadbeef000000000000000000000101' },
  errorsPerHour: 6,
  errors: [
    {
      weight: 3,
      raise: r =>
        chargeOrder(r.integer(10_000, 99_999), 3000 + r.integer(1, 2000)),
    },
    { weight: 2, raise: r => validateOrder({ id: r.integer(10_000, 99_999) }) },
  ],
  posthog: {
    projectKey: 'phc_demo_checkout',
    metrics: [
      { event: 'checkout_started', perHour: 260 },
      { event: 'checkout_completed', perHour: 200 },
    ],
  },
  pagerduty: {
    serviceId: 'PCHKOUT',
    routingKey: 'R0UTINGKEYCHECKOUT00000000000001',
  },
  deploysPerDay: 2,
};

export const storefront: DemoService = {
  name: 'storefront',
  repository: 'acme/webshop',
  path: 'apps/storefront/',
  files: [
    'src/pages/homePage.tsx',
    'src/pages/productPage.ts',
    'src/components/ProductGrid.tsx',
    'src/api/checkoutClient.ts',
    'src/styles/theme.ts',
    'package.json',
  ],
  authors: ['lee', 'sam'],
  sentry: { projectId: '102', publicKey: 'deadbeef000000000000000000000102' },
  errorsPerHour: 8,
  errors: [
    {
      weight: 4,
      raise: r =>
        heroImageUrl({ sku: `SKU-${r.integer(1000, 9999)}`, images: [] }),
    },
    { weight: 1, raise: r => submitCheckout(r.pick([502, 503, 504])) },
  ],
  posthog: {
    projectKey: 'phc_demo_webshop',
    metrics: [
      { event: 'product_viewed', perHour: 900 },
      { event: 'added_to_cart', perHour: 300 },
    ],
  },
  pagerduty: {
    serviceId: 'PSTORE1',
    routingKey: 'R0UTINGKEYSTOREFRONT000000000001',
  },
  deploysPerDay: 3,
};

export const catalogApi: DemoService = {
  name: 'catalog-api',
  repository: 'acme/webshop',
  path: 'services/catalog/',
  files: [
    'src/stock/reserveStock.ts',
    'src/products/listProducts.ts',
    'src/db/schema.sql',
  ],
  authors: ['sam'],
  sentry: { projectId: '103', publicKey: 'deadbeef000000000000000000000103' },
  errorsPerHour: 4,
  errors: [
    {
      weight: 1,
      raise: r =>
        reserveStock(`SKU-${r.integer(1000, 9999)}`, 0, r.integer(1, 3)),
    },
  ],
  pagerduty: { serviceId: 'PCATLOG' },
  deploysPerDay: 1,
};

export const search: DemoService = {
  name: 'search',
  repository: 'acme/search',
  path: '',
  files: [
    'src/query/parseQuery.ts',
    'src/index/buildIndex.ts',
    'src/ranking/boosts.ts',
  ],
  authors: ['sam'],
  sentry: { projectId: '104', publicKey: 'deadbeef000000000000000000000104' },
  errorsPerHour: 3,
  errors: [
    {
      weight: 1,
      raise: r => parseQuery(`red "shoes size ${r.integer(36, 46)}`),
    },
  ],
  deploysPerDay: 1,
};

export const paymentsApi: DemoService = {
  name: 'payments-api',
  repository: 'acme/payments',
  path: '',
  files: [
    'api/src/provider/charge.ts',
    'api/src/refunds/refund.ts',
    'api/src/webhooks/provider.ts',
  ],
  authors: ['sam', 'dana'],
  sentry: { projectId: '105', publicKey: 'deadbeef000000000000000000000105' },
  errorsPerHour: 3,
  errors: [
    {
      weight: 1,
      raise: r =>
        chargeCard(
          `ch_${r.integer(100_000, 999_999)}`,
          r.pick([500, 502, 503]),
        ),
    },
  ],
  pagerduty: {
    serviceId: 'PPAYMNT',
    routingKey: 'R0UTINGKEYPAYMENTS00000000000001',
  },
  deploysPerDay: 1,
};

export const ledger: DemoService = {
  name: 'ledger',
  repository: 'acme/payments',
  path: 'ledger/',
  files: ['src/journal/postEntry.ts', 'src/reports/daily.ts'],
  authors: ['sam'],
  sentry: { projectId: '106', publicKey: 'deadbeef000000000000000000000106' },
  errorsPerHour: 1,
  errors: [
    { weight: 1, raise: r => postEntry(r.integer(1, 99_999), 1000, 999) },
  ],
  deploysPerDay: 0.5,
};

export const notifications: DemoService = {
  name: 'notifications',
  repository: 'acme/notifications',
  path: '',
  files: ['src/email/sendEmail.ts', 'src/templates/orderConfirmation.mjml'],
  authors: ['lee'],
  sentry: { projectId: '107', publicKey: 'deadbeef000000000000000000000107' },
  errorsPerHour: 2,
  errors: [
    {
      weight: 1,
      raise: r => sendEmail(r.pick(['order-confirmation', 'receipt']), 421),
    },
  ],
  pagerduty: { serviceId: 'PNOTIFY' },
  deploysPerDay: 0.5,
};

/** The web shop, as the demo runs it. */
export const demoServices: DemoService[] = [
  storefront,
  checkoutApi,
  catalogApi,
  search,
  paymentsApi,
  ledger,
  notifications,
];
