import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import type { WorkerPoolOptions } from '@internal/plugin-product-os-node';
import {
  ANOMALY_KINDS,
  NOTIFICATION_SEVERITIES,
  type NotificationSeverity,
} from './notifications/notificationKinds';
import type { RetentionPolicy } from './database/retention/RetentionStore';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Product OS backend settings, with every default in this one place. */
export interface ProductOsConfig {
  retention: RetentionPolicy & {
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
  errorSampleSize: number;
  entityCacheMs: number;
  agent: AgentConfig;
  actions: ActionsConfig;
  notifications: NotificationsConfig;
  liveUpdates: LiveUpdatesConfig;
  /** The optional narrator of diagnosis summaries (a module provides it). */
  narrator: { timeoutMs: number };
  /** How the host serves each source's vendor routes, by source id (`productOs.sources.<id>`). */
  sources: Record<string, SourceRoutesConfig>;
  /**
   * Schedules that replace a pull's default, by source id and pull id
   * (`productOs.sources.<source>.pull.<pullId>.schedule`).
   */
  pullSchedules: Record<
    string,
    Record<string, SchedulerServiceTaskScheduleDefinition>
  >;
  /** The worker threads on which sources parse large bodies (`productOs.ingestWorkers`). */
  ingestWorkers: WorkerPoolOptions;
}

/** How the host serves one source's vendor-facing routes. */
export interface SourceRoutesConfig {
  /**
   * Web origins whose pages may send to the routes (browser SDKs): exact `scheme://host[:port]`
   * origins, or `*` for any. Empty: no CORS headers, so only servers can send.
   */
  allowedOrigins: string[];
  /** How long a request body may take to arrive before it is answered 408 and the socket closed. */
  bodyTimeoutMs: number;
}

/** Seconds a vendor route waits for a whole request body: SDK bodies are kilobytes. */
export const DEFAULT_BODY_TIMEOUT_SECONDS = 10;

export const DEFAULT_SOURCE_ROUTES: SourceRoutesConfig = {
  allowedOrigins: [],
  bodyTimeoutMs: DEFAULT_BODY_TIMEOUT_SECONDS * 1000,
};

/** Actions that write a diagnosis to GitHub after a person confirms a preview. */
export interface ActionsConfig {
  /** When false (the default), nothing is ever written. */
  enabled: boolean;
  /** The `integrations.github` host whose credentials write, and the API to write to. */
  github: { host: string; baseUrl?: string };
}

/**
 * When the owners of an entity hear of its diagnoses through Backstage notifications
 * (`productOs.notifications`; see `config.d.ts`).
 */
export interface NotificationsConfig {
  enabled: boolean;
  /** The least severity a diagnosis needs before its owners are notified. */
  minSeverity: NotificationSeverity;
  /** The least confidence a diagnosis naming a suspect needs. */
  minConfidence: number;
  /** Whether a diagnosis that names no change ("not enough evidence") is sent too. */
  notEnoughEvidence: boolean;
  /** The kinds of trouble whose diagnoses are sent. */
  anomalyKinds: string[];
}

/** How entity pages hear that their data changed (`productOs.liveUpdates`). */
export interface LiveUpdatesConfig {
  enabled: boolean;
  /** An entity's changes within this long of its last signal are sent together, once. */
  minIntervalMs: number;
}

/** How the diagnosis agent detects, researches and diagnoses; see `config.d.ts`. */
export interface AgentConfig {
  enabled: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** How long after a signal from ingestion the agent looks at the entity (more may arrive). */
  signalDebounceMs: number;
  /** Days of the same hour that make a baseline. */
  baselineDays: number;
  /** How far back an onset may lie for the agent to report it. */
  detectWindowMs: number;
  /** How far before the onset candidate changes are gathered. */
  lookbackMs: number;
  /** Overlapping signals within this distance of each other are one anomaly. */
  mergeWindowMs: number;
  /** Error spikes. */
  spike: { minEvents: number; minRatio: number; minZ: number };
  /** New error groups and regressions: events needed before they count. */
  newGroupMinEvents: number;
  /**
   * A new group counts sooner, with fewer events, when they come fast and over more than one
   * moment: `minEvents` within `withinMs` of its first event, the first and last of them at
   * least `minSpanMs` apart.
   */
  newGroupEarly: { minEvents: number; withinMs: number; minSpanMs: number };
  regressionMinEvents: number;
  /** Key metric drops. */
  metricDrop: {
    minBaseline: number;
    minDrop: number;
    minZ: number;
    minHours: number;
  };
  /**
   * A key metric below its baseline in the first hour after a production deployment (with the
   * metric drop's thresholds), judged for deployments that went live within `withinMs`.
   */
  heartbeat: { withinMs: number };
  /** Deployment environments that count as going live (empty: every environment). */
  environments: string[];
  /** The confidence a suspect needs to be named; below it the answer is "not enough evidence". */
  minConfidence: number;
  /** How long a diagnosis without a suspect keeps collecting before a human is asked to look. */
  collectingMs: number;
  /** Suspects kept per diagnosis. */
  maxSuspects: number;
  /** What the agent does with the outcomes of its diagnoses. */
  outcomes: {
    /** Whether they adjust later confidences (`agent/outcomes/recalibrate.ts`). */
    recalibrate: boolean;
  };
}

export const DEFAULT_AGENT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 15 },
  timeout: { minutes: 10 },
  initialDelay: { minutes: 2 },
};

export const DEFAULT_RETENTION_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { hours: 1 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
  };

export function readProductOsConfig(config: Config): ProductOsConfig {
  const root = config.getOptionalConfig('productOs');
  const retention = root?.getOptionalConfig('retention');
  const scheduleConfig = retention?.getOptionalConfig('schedule');
  return {
    retention: {
      rawMaxAgeMs:
        positive(retention, 'productOs.retention.rawDays', 14) * DAY_MS,
      aggregateMaxAgeMs:
        positive(retention, 'productOs.retention.aggregateDays', 180) * DAY_MS,
      schedule: scheduleConfig
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
        : DEFAULT_RETENTION_SCHEDULE,
    },
    errorSampleSize: Math.floor(
      positive(root, 'productOs.errorSampleSize', 50),
    ),
    entityCacheMs: positive(root, 'productOs.entityCacheSeconds', 60) * 1000,
    agent: readAgentConfig(root?.getOptionalConfig('agent')),
    narrator: {
      timeoutMs: positive(
        root?.getOptionalConfig('narrator'),
        'productOs.narrator.timeoutMs',
        10_000,
      ),
    },
    sources: readSourcesRoutesConfig(root?.getOptionalConfig('sources')),
    ingestWorkers: readIngestWorkers(root?.getOptionalConfig('ingestWorkers')),
    pullSchedules: readPullSchedules(root?.getOptionalConfig('sources')),
    notifications: readNotificationsConfig(
      root?.getOptionalConfig('notifications'),
    ),
    liveUpdates: {
      enabled: root?.getOptionalBoolean('liveUpdates.enabled') ?? true,
      minIntervalMs:
        positive(
          root?.getOptionalConfig('liveUpdates'),
          'productOs.liveUpdates.minIntervalSeconds',
          10,
        ) * 1000,
    },
    actions: {
      enabled: root?.getOptionalBoolean('actions.enabled') ?? false,
      github: {
        host: root?.getOptionalString('actions.github.host') ?? 'github.com',
        baseUrl: root?.getOptionalString('actions.github.baseUrl'),
      },
    },
  };
}

/** The host's settings of every configured source (`productOs.sources.<id>`). */
export function readSourcesRoutesConfig(
  sources?: Config,
): Record<string, SourceRoutesConfig> {
  return Object.fromEntries(
    (sources?.keys() ?? []).map(id => [
      id,
      readSourceRoutesConfig(sources?.getOptionalConfig(id), id),
    ]),
  );
}

/** The pull schedules config sets (`productOs.sources.<id>.pull.<pullId>.schedule`). */
export function readPullSchedules(
  sources?: Config,
): Record<string, Record<string, SchedulerServiceTaskScheduleDefinition>> {
  const result: Record<
    string,
    Record<string, SchedulerServiceTaskScheduleDefinition>
  > = {};
  for (const id of sources?.keys() ?? []) {
    const pulls = sources?.getOptionalConfig(`${id}.pull`);
    for (const pullId of pulls?.keys() ?? []) {
      const schedule = pulls?.getOptionalConfig(`${pullId}.schedule`);
      if (!schedule) continue;
      result[id] = {
        ...result[id],
        [pullId]:
          readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule),
      };
    }
  }
  return result;
}

function readSourceRoutesConfig(
  source: Config | undefined,
  id: string,
): SourceRoutesConfig {
  const at = (key: string) => `productOs.sources.${id}.${key}`;
  return {
    allowedOrigins: (
      source?.getOptionalStringArray('allowedOrigins') ?? []
    ).map(origin => readOrigin(origin, at('allowedOrigins'))),
    bodyTimeoutMs:
      positive(source, at('bodyTimeoutSeconds'), DEFAULT_BODY_TIMEOUT_SECONDS) *
      1000,
  };
}

/**
 * A browser's `Origin` is exactly `scheme://host[:port]`; anything else in the list (a path, a
 * trailing slash, a pattern) would silently never match, so it is refused at startup.
 */
function readOrigin(value: string, path: string): string {
  if (value === '*') return value;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const bare =
    url &&
    ['http:', 'https:'].includes(url.protocol) &&
    url.pathname === '/' &&
    !value.endsWith('/') &&
    !url.search &&
    !url.hash &&
    !url.username &&
    !url.password;
  if (!url || !bare) {
    throw new Error(
      `Invalid config: '${path}' entries must be origins like https://shop.example.com (scheme, host and port, no path) or '*', got '${value}'`,
    );
  }
  // As browsers send it: lowercase host, no default port.
  return url.origin;
}

/** The notification settings (`productOs.notifications`); with none, every default. */
export function readNotificationsConfig(
  notifications?: Config,
): NotificationsConfig {
  const at = (key: string) => `productOs.notifications.${key}`;
  const minSeverity =
    notifications?.getOptionalString('minSeverity') ?? 'normal';
  if (!NOTIFICATION_SEVERITIES.includes(minSeverity as NotificationSeverity)) {
    throw new Error(
      `Invalid config: '${at(
        'minSeverity',
      )}' must be one of ${NOTIFICATION_SEVERITIES.join(
        ', ',
      )}, got '${minSeverity}'`,
    );
  }
  const minConfidence =
    notifications?.getOptionalNumber('minConfidence') ?? 0.5;
  if (!(minConfidence >= 0 && minConfidence <= 1)) {
    throw new Error(
      `Invalid config: '${at(
        'minConfidence',
      )}' must be between 0 and 1, got ${minConfidence}`,
    );
  }
  const anomalyKinds = notifications?.getOptionalStringArray(
    'anomalyKinds',
  ) ?? [...ANOMALY_KINDS];
  const unknown = anomalyKinds.filter(kind => !ANOMALY_KINDS.includes(kind));
  if (unknown.length > 0) {
    throw new Error(
      `Invalid config: '${at('anomalyKinds')}' may hold ${ANOMALY_KINDS.join(
        ', ',
      )}, got '${unknown.join("', '")}'`,
    );
  }
  return {
    enabled: notifications?.getOptionalBoolean('enabled') ?? true,
    minSeverity: minSeverity as NotificationSeverity,
    minConfidence,
    notEnoughEvidence:
      notifications?.getOptionalBoolean('notEnoughEvidence') ?? false,
    anomalyKinds,
  };
}

/** The diagnosis agent's settings (`productOs.agent`); with none, every default. */
export function readAgentConfig(agent?: Config): AgentConfig {
  const scheduleConfig = agent?.getOptionalConfig('schedule');
  const spike = agent?.getOptionalConfig('errorSpike');
  const metric = agent?.getOptionalConfig('metricDrop');
  const early = agent?.getOptionalConfig('newGroupEarly');
  const at = (path: string) => `productOs.agent.${path}`;
  return {
    enabled: agent?.getOptionalBoolean('enabled') ?? true,
    schedule: scheduleConfig
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
      : DEFAULT_AGENT_SCHEDULE,
    signalDebounceMs: positive(agent, at('signalDebounceSeconds'), 2) * 1000,
    baselineDays: Math.floor(positive(agent, at('baselineDays'), 7)),
    detectWindowMs: positive(agent, at('detectWindowHours'), 6) * HOUR_MS,
    lookbackMs: positive(agent, at('lookbackHours'), 24) * HOUR_MS,
    mergeWindowMs: positive(agent, at('mergeWindowMinutes'), 90) * MINUTE_MS,
    spike: {
      minEvents: positive(spike, at('errorSpike.minEvents'), 20),
      minRatio: positive(spike, at('errorSpike.minRatio'), 3),
      minZ: positive(spike, at('errorSpike.minZ'), 6),
    },
    newGroupMinEvents: positive(agent, at('newGroupMinEvents'), 10),
    newGroupEarly: {
      minEvents: positive(early, at('newGroupEarly.minEvents'), 5),
      withinMs: positive(early, at('newGroupEarly.withinSeconds'), 120) * 1000,
      minSpanMs: positive(early, at('newGroupEarly.minSpanSeconds'), 3) * 1000,
    },
    regressionMinEvents: positive(agent, at('regressionMinEvents'), 5),
    metricDrop: {
      minBaseline: positive(metric, at('metricDrop.minBaseline'), 50),
      minDrop: positive(metric, at('metricDrop.minDrop'), 0.3),
      minZ: positive(metric, at('metricDrop.minZ'), 3),
      minHours: Math.floor(positive(metric, at('metricDrop.minHours'), 2)),
    },
    heartbeat: {
      withinMs:
        positive(
          agent?.getOptionalConfig('heartbeat'),
          at('heartbeat.withinHours'),
          3,
        ) * HOUR_MS,
    },
    environments: agent?.getOptionalStringArray('environments') ?? [
      'production',
      'prod',
    ],
    minConfidence: positive(agent, at('minConfidence'), 0.5),
    collectingMs: positive(agent, at('collectingHours'), 2) * HOUR_MS,
    maxSuspects: Math.floor(positive(agent, at('maxSuspects'), 5)),
    outcomes: {
      recalibrate: agent?.getOptionalBoolean('outcomes.recalibrate') ?? true,
    },
  };
}

/**
 * A number that must be above zero: a retention of 0 days would delete everything on the next
 * run, and a sample of 0 events would keep no example of any error.
 */
/** Unset settings are left to the pool's defaults. */
function readIngestWorkers(config?: Config): WorkerPoolOptions {
  const at = (key: string) => `productOs.ingestWorkers.${key}`;
  const given = (key: string) =>
    config?.has(key) ? Math.floor(positive(config, at(key), 1)) : undefined;
  const maxQueued = config?.getOptionalNumber('maxQueued');
  if (maxQueued !== undefined && !(maxQueued >= 0)) {
    throw new Error(
      `Invalid config: '${at(
        'maxQueued',
      )}' must be 0 or more, got ${maxQueued}`,
    );
  }
  return {
    threads: given('threads'),
    maxQueued: maxQueued === undefined ? undefined : Math.floor(maxQueued),
    inThreadBytes: given('inThreadBytes'),
  };
}

function positive(
  config: Config | undefined,
  path: string,
  fallback: number,
): number {
  const value = config?.getOptionalNumber(
    path.slice(path.lastIndexOf('.') + 1),
  );
  if (value === undefined) return fallback;
  if (!(value > 0)) {
    throw new Error(
      `Invalid config: '${path}' must be a number above 0, got ${value}`,
    );
  }
  return value;
}
