import type { StackFrame } from '@internal/plugin-product-os-common';
import type { Random } from '@internal/product-os-demo/src/product/random';

/** A simulated service of the example web shop: its code layout and how its stack traces look. */
export interface ServiceProfile {
  name: string;
  kind: 'service' | 'website';
  /** Where its code lives in the monorepo. */
  root: string;
  /** Deployed source paths, compiled `dist/*.js`, or source-mapped browser frames. */
  frameStyle: 'source' | 'dist' | 'browser';
  modules: string[];
  keyMetrics: string[];
  owner: string;
}

export const SERVICES: ServiceProfile[] = [
  {
    name: 'checkout-api',
    kind: 'service',
    root: 'services/checkout',
    frameStyle: 'source',
    modules: ['cart', 'pricing', 'orders', 'discounts', 'tax', 'session'],
    keyMetrics: ['checkout_completed'],
    owner: 'group:default/team-checkout',
  },
  {
    name: 'payments-api',
    kind: 'service',
    root: 'services/payments',
    frameStyle: 'dist',
    modules: ['charges', 'refunds', 'ledger', 'webhooks', 'fraud'],
    keyMetrics: [],
    owner: 'group:default/team-payments',
  },
  {
    name: 'catalog-api',
    kind: 'service',
    root: 'services/catalog',
    frameStyle: 'dist',
    modules: ['products', 'prices', 'stock', 'images', 'categories'],
    keyMetrics: [],
    owner: 'group:default/team-storefront',
  },
  {
    name: 'search',
    kind: 'service',
    root: 'services/search',
    frameStyle: 'source',
    modules: ['indexer', 'query', 'ranking', 'suggest'],
    keyMetrics: ['search_performed'],
    owner: 'group:default/team-discovery',
  },
  {
    name: 'storefront',
    kind: 'website',
    root: 'apps/storefront',
    frameStyle: 'browser',
    modules: ['checkout', 'product', 'basket', 'account', 'listing'],
    keyMetrics: ['checkout_completed', 'added_to_cart'],
    owner: 'group:default/team-storefront',
  },
  {
    name: 'auth-service',
    kind: 'service',
    root: 'services/auth',
    frameStyle: 'dist',
    modules: ['tokens', 'sessions', 'users', 'oauth'],
    keyMetrics: ['login_succeeded'],
    owner: 'group:default/team-identity',
  },
  {
    name: 'shipping-api',
    kind: 'service',
    root: 'services/shipping',
    frameStyle: 'source',
    modules: ['rates', 'labels', 'tracking', 'carriers'],
    keyMetrics: [],
    owner: 'group:default/team-fulfilment',
  },
  {
    name: 'notifications',
    kind: 'service',
    root: 'services/notifications',
    frameStyle: 'dist',
    modules: ['email', 'push', 'templates', 'delivery'],
    keyMetrics: [],
    owner: 'group:default/team-platform',
  },
];

export const AUTHORS = [
  'dana',
  'lee',
  'sam',
  'priya',
  'jonas',
  'mei',
  'omar',
  'alex',
  'noor',
  'ravi',
];

const VERBS = [
  'apply',
  'compute',
  'validate',
  'load',
  'save',
  'format',
  'sync',
  'resolve',
  'build',
  'parse',
  'merge',
  'check',
  'map',
  'send',
  'find',
  'cancel',
];

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Repository paths of a module's files. */
export function moduleFiles(profile: ServiceProfile, module: string): string[] {
  const src = `${profile.root}/src`;
  if (profile.kind === 'website') {
    const C = capital(module);
    return [
      `${src}/components/${C}/${C}Page.tsx`,
      `${src}/components/${C}/${C}Form.tsx`,
      `${src}/components/${C}/${C}Summary.tsx`,
      ...['List', 'Item', 'Header', 'Footer', 'Dialog', 'Empty'].map(
        part => `${src}/components/${C}/${C}${part}.tsx`,
      ),
      `${src}/hooks/use${C}.ts`,
      `${src}/state/${module}Slice.ts`,
      `${src}/api/${module}Api.ts`,
    ];
  }
  // Ten or so files a module, the routes file last: small, but not so small that any two
  // changes share files by chance.
  const verbs = VERBS.filter((_, i) => (i + module.length) % 2 === 0);
  return [
    `${src}/${module}/${module}Service.ts`,
    `${src}/${module}/${module}Repository.ts`,
    ...verbs.map(v => `${src}/${module}/${v}${capital(module)}.ts`),
    `${src}/routes/${module}Routes.ts`,
  ];
}

/** Files every service has besides its modules. */
export function sharedFiles(
  profile: ServiceProfile,
  dependencies: string[],
): string[] {
  const src = `${profile.root}/src`;
  if (profile.kind === 'website') {
    return [
      `${src}/analytics/track.ts`,
      `${src}/App.tsx`,
      `${src}/api/httpClient.ts`,
    ];
  }
  return [
    `${src}/lib/http.ts`,
    `${src}/lib/db.ts`,
    `${src}/server.ts`,
    ...dependencies.map(dep => `${src}/clients/${camel(dep)}Client.ts`),
  ];
}

export function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** How a repository path appears in a stack trace of the deployed service. */
export function frameFilename(profile: ServiceProfile, path: string): string {
  const inSrc = path.slice(`${profile.root}/src/`.length);
  switch (profile.frameStyle) {
    case 'source':
      return `/app/${path}`;
    case 'dist':
      return `/usr/src/app/dist/${inSrc.replace(/\.ts$/, '.js')}`;
    default:
      return `app:///src/${inSrc}`;
  }
}

/** A stack: in-app frames (most recent first) through the given files, with library frames. */
export function stackThrough(
  profile: ServiceProfile,
  files: string[],
  rng: Random,
  library?: string,
): StackFrame[] {
  const frames: StackFrame[] = [];
  if (library)
    frames.push({
      filename: library,
      function: 'query',
      lineno: rng.integer(10, 400),
      inApp: false,
    });
  for (const file of files) {
    frames.push({
      filename: frameFilename(profile, file),
      function: functionName(file, rng),
      lineno: rng.integer(5, 300),
      inApp: true,
    });
  }
  frames.push({
    filename:
      profile.kind === 'website'
        ? 'app:///node_modules/react-dom/cjs/react-dom.production.min.js'
        : '/usr/src/app/node_modules/express/lib/router/layer.js',
    function: 'handle',
    lineno: 95,
    inApp: false,
  });
  return frames;
}

function functionName(file: string, rng: Random): string {
  const base = file
    .split('/')
    .pop()!
    .replace(/\.[a-z]+$/, '');
  return rng.chance(0.5)
    ? base
    : `${base}.${rng.pick(['run', 'handle', 'execute', 'render', 'call'])}`;
}

/** A realistic error title for a failure in a module. */
export function errorTitle(module: string, rng: Random): string {
  const Module = capital(module);
  return rng.pick([
    `TypeError: Cannot read properties of undefined (reading '${module}Id')`,
    `ValidationError: ${module} amount must be a positive number`,
    `NotFoundError: ${Module} not found`,
    `QueryFailedError: deadlock detected while updating ${module}`,
    `TimeoutError: ${module} lookup timed out after 5000ms`,
    `RangeError: Invalid time value in ${module}`,
    `TypeError: ${module}.items.map is not a function`,
    `Error: Unexpected state ${rng.integer(1, 9)} in ${module} flow`,
  ]);
}
