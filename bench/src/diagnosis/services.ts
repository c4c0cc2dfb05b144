import type { StackFrame } from '@internal/plugin-product-os-common';
import type { Random } from '@internal/product-os-demo/src/product/random';
import {
  Language,
  LanguageLayout,
  LAYOUTS,
  RemoteFailure,
  typescriptRemoteFailure,
} from './languages';

export type { Language } from './languages';

/** A simulated service of the example web shop: its code layout and how its stack traces look. */
export interface ServiceProfile {
  name: string;
  kind: 'service' | 'website';
  /** Where its code lives in its repository: a folder of the monorepo, or '' in a repository of its own. */
  root: string;
  /**
   * Deployed source paths, compiled `dist/*.js`, source-mapped browser frames, or a built
   * bundle without source maps (TypeScript only; other languages' frames are their own).
   */
  frameStyle: 'source' | 'dist' | 'browser' | 'bundle';
  /** The language it is written in (TypeScript unless set). */
  language?: Language;
  /** The GitHub repository its changes come from. */
  repo?: string;
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
  const layout = layoutOf(profile);
  if (layout)
    return layout.moduleFiles(baseOf(profile), packageOf(profile), module);
  const src = srcOf(profile);
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
  const layout = layoutOf(profile);
  if (layout)
    return [
      ...layout.sharedFiles(baseOf(profile), packageOf(profile)),
      ...dependencies.map(dep =>
        layout.clientFile(baseOf(profile), packageOf(profile), dep),
      ),
    ];
  const src = srcOf(profile);
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
  const layout = layoutOf(profile);
  if (layout) return layout.frameFilename(baseOf(profile), path);
  const inSrc = path.slice(`${srcOf(profile)}/`.length);
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
  if (profile.frameStyle === 'bundle' && files.length) {
    // A bundle without source maps: every in-app frame is the same hashed file.
    const bundle = `app:///static/js/main.${bundleHash(profile)}.js`;
    for (const fn of ['e.render', 't', 'n']) {
      frames.push({ filename: bundle, function: fn, lineno: 1, inApp: true });
    }
  }
  for (const file of profile.frameStyle === 'bundle' ? [] : files) {
    frames.push({
      filename: frameFilename(profile, file),
      function: functionName(file, rng),
      lineno: rng.integer(5, 300),
      inApp: true,
    });
  }
  const layout = layoutOf(profile);
  frames.push(
    layout
      ? layout.frameworkFrame
      : {
          filename:
            profile.kind === 'website'
              ? 'app:///node_modules/react-dom/cjs/react-dom.production.min.js'
              : '/usr/src/app/node_modules/express/lib/router/layer.js',
          function: 'handle',
          lineno: 95,
          inApp: false,
        },
  );
  return frames;
}

/** The layout of a service in a language other than TypeScript. */
function layoutOf(profile: ServiceProfile): LanguageLayout | undefined {
  const language: Language = profile.language ?? 'typescript';
  return language === 'typescript' ? undefined : LAYOUTS[language];
}

/** The service's folder in its repository, with a trailing slash ('' in a repository of its own). */
function baseOf(profile: ServiceProfile): string {
  return profile.root ? `${profile.root}/` : '';
}

function srcOf(profile: ServiceProfile): string {
  return `${baseOf(profile)}src`;
}

/** The service's package name: `checkout` for `checkout-api`. */
function packageOf(profile: ServiceProfile): string {
  return profile.name.replace(/-(api|service)$/, '').replace(/-/g, '_');
}

function bundleHash(profile: ServiceProfile): string {
  let h = 7;
  for (const c of profile.name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(8, '0').slice(0, 8);
}

/** The file through which the service calls a dependency. */
export function clientFileOf(
  profile: ServiceProfile,
  dependency: string,
): string {
  const layout = layoutOf(profile);
  if (layout)
    return layout.clientFile(baseOf(profile), packageOf(profile), dependency);
  return profile.kind === 'website'
    ? `${srcOf(profile)}/api/httpClient.ts`
    : `${srcOf(profile)}/clients/${camel(dependency)}Client.ts`;
}

/** The service's own HTTP helper, through which calls to third parties go. */
export function httpFileOf(profile: ServiceProfile): string {
  return sharedFiles(profile, [])[profile.kind === 'website' ? 2 : 0];
}

/** Its dependency manifests (package.json and lock file, requirements, pom.xml, go.mod). */
export function manifestsOf(profile: ServiceProfile): string[] {
  const layout = layoutOf(profile);
  if (layout) return layout.manifests(baseOf(profile));
  return [`${baseOf(profile)}package.json`, 'yarn.lock'];
}

/** The library frame of an outbound HTTP call (`http`) or of a cloud SDK's call (`cloud`). */
export function callFrame(
  profile: ServiceProfile,
  kind: 'http' | 'cloud' | 'data',
): string | undefined {
  const layout = layoutOf(profile);
  if (layout) {
    if (kind === 'http') return layout.httpFrame.filename;
    if (kind === 'cloud') return layout.cloudFrame.filename;
    return layout.dataFrame.filename;
  }
  if (profile.kind === 'website') return undefined;
  return {
    http: '/usr/src/app/node_modules/undici/lib/fetch/index.js',
    cloud:
      '/usr/src/app/node_modules/@smithy/node-http-handler/dist-cjs/index.js',
    data: '/usr/src/app/node_modules/pg/lib/client.js',
  }[kind];
}

/** How the service's clients word a failure on the far side of a call. */
export function remoteFailureTitle(
  profile: ServiceProfile,
  kind: RemoteFailure,
  host: string,
  rng: Random,
): string {
  const layout = layoutOf(profile);
  return layout
    ? layout.remoteFailure(kind, host, rng)
    : typescriptRemoteFailure(kind, host, rng);
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

/** A realistic error title for a failure in a module of the service, in its language. */
export function errorTitleOf(
  profile: ServiceProfile,
  module: string,
  rng: Random,
): string {
  const layout = layoutOf(profile);
  return layout ? layout.errorTitle(module, rng) : errorTitle(module, rng);
}

/** A realistic error title for a failure in a module (TypeScript). */
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
