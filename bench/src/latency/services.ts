import crypto from 'crypto';

/** Configuration values, as the backend's config takes them. */
type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

/** What the benchmark tells its backend process. */
export interface LatencySettings {
  services: number;
  database: JsonObject;
  githubSecret: string;
  pagerDutySecret: string;
  /** `productOs.agent` overrides (e.g. `signalDebounceSeconds`, to measure another setting). */
  agent?: JsonObject;
}

/** One catalog service of the benchmark, with its Sentry project, repository and PagerDuty service. */
export interface BenchService {
  name: string;
  entityRef: string;
  sentry: { id: string; publicKey: string; slug: string };
  repository: string;
  pagerDutyServiceId: string;
  /** The PostHog project its analytics go to. */
  postHogKey: string;
}

/** The service's key metric (annotation `product-os.io/key-metrics`). */
export const KEY_METRIC = 'checkout_completed';

/** `checkout-01`, `checkout-02`, ...: one per trial. */
export function benchServices(count: number): BenchService[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `checkout-${String(i + 1).padStart(2, '0')}`;
    return {
      name,
      entityRef: `component:default/${name}`,
      sentry: {
        id: String(7000 + i),
        publicKey: crypto.createHash('md5').update(name).digest('hex'),
        slug: name,
      },
      repository: `acme/${name}`,
      pagerDutyServiceId: `PLAT${String(i + 1).padStart(3, '0')}`,
      postHogKey: `phc_${crypto
        .createHash('sha256')
        .update(name)
        .digest('hex')
        .slice(0, 40)}`,
    };
  });
}
