import {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { AgentConfig } from '../config';
import type { IngestSignals } from '../sources/IngestSignals';
import type { MonitoringAgent } from './MonitoringAgent';
import type { OutcomeEvaluator } from './outcomes/OutcomeEvaluator';

/** Calls `fire(key)` once, `delayMs` after the first of a burst of pushes of the same key. */
export class Debouncer {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly delayMs: number,
    private readonly fire: (key: string) => void,
  ) {}

  push(key: string): void {
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.fire(key);
    }, this.delayMs);
    timer.unref?.();
    this.timers.set(key, timer);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

/**
 * Runs the agent for every active entity on the Backstage scheduler (one instance at a time),
 * and for one entity soon after ingestion signals something worth a look: signals for the same
 * entity within the debounce period make one run, since an incident and its errors tend to
 * arrive together; that run is followed by one more look a debounce period later. When a run
 * records new or changed trouble, the entities that depend on this one and have open anomalies
 * are looked at again at once, so their diagnoses take the dependency's trouble in. After each
 * scheduled pass, the outcomes of earlier diagnoses are judged (`outcomes/OutcomeEvaluator.ts`).
 */
export async function scheduleAgent(options: {
  agent: MonitoringAgent;
  /** Judges what became of earlier diagnoses, after each scheduled pass. */
  outcomes?: Pick<OutcomeEvaluator, 'evaluate'>;
  scheduler: SchedulerService;
  signals: IngestSignals;
  logger: LoggerService;
  config: AgentConfig;
  lifecycle?: LifecycleService;
}): Promise<void> {
  const { agent, scheduler, signals, logger, config } = options;
  if (!config.enabled) {
    logger.info('Diagnosis agent is disabled (productOs.agent.enabled: false)');
    return;
  }
  await scheduler.scheduleTask({
    id: 'product-os.diagnosis-agent',
    ...config.schedule,
    fn: async () => {
      const results = await agent.runAll();
      logger.info('Diagnosis agent ran', {
        entities: results.length,
        anomalies: results.reduce((n, r) => n + r.anomalies.length, 0),
      });
      if (options.outcomes) {
        const pass = await options.outcomes.evaluate();
        logger.info('Diagnosis outcomes judged', { ...pass });
      }
    },
  });
  const lookAgain = (entityRef: string) =>
    agent.runForEntity(entityRef).then(
      () => undefined,
      error =>
        logger.error('Diagnosis agent failed for a dependent', {
          entityRef,
          error: String(error),
        }),
    );
  const run = (entityRef: string): Promise<void> =>
    agent
      .runForEntity(entityRef)
      .then(async result => {
        // New or changed trouble here is news for the entities downstream: a dependent paged
        // before this entity's errors were stored was researched without them.
        if (
          !result.anomalies.some(
            a => a.outcome === 'created' || a.outcome === 'merged',
          )
        )
          return;
        const dependents = await agent.openDependents(entityRef);
        await Promise.all(dependents.map(dependent => lookAgain(dependent)));
      })
      .catch(error =>
        logger.error('Diagnosis agent failed after a signal', {
          entityRef,
          error: String(error),
        }),
      );
  // What a signal announces is usually still growing (a new error group may not have the events
  // it needs to count yet, and it signals only once), so each run after a signal gets one more
  // look a debounce period later.
  const followUps = new Debouncer(config.signalDebounceMs, run);
  const debouncer = new Debouncer(config.signalDebounceMs, entityRef => {
    run(entityRef);
    followUps.push(entityRef);
  });
  const unsubscribe = signals.subscribe(signal =>
    debouncer.push(signal.entityRef),
  );
  options.lifecycle?.addShutdownHook(() => {
    unsubscribe();
    debouncer.stop();
    followUps.stop();
  });
}
