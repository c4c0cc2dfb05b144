import { mockServices } from '@backstage/backend-test-utils';
import { readAgentConfig } from '../config';
import { IngestSignals } from '../sources/IngestSignals';
import type { MonitoringAgent } from './MonitoringAgent';
import { Debouncer, scheduleAgent } from './scheduleAgent';

describe('scheduleAgent', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs every entity on the scheduler and one entity soon after a burst of signals', async () => {
    const scheduler = mockServices.scheduler.mock();
    const signals = new IngestSignals();
    const agent = {
      runAll: jest.fn(async () => []),
      runForEntity: jest.fn(async () => ({
        entityRef: 'x',
        anomalies: [],
        closed: [],
      })),
    };
    const hooks: (() => void)[] = [];
    const lifecycle = mockServices.lifecycle.mock({
      addShutdownHook: jest.fn(hook => void hooks.push(hook as () => void)),
    });
    const config = { ...readAgentConfig(), signalDebounceMs: 30_000 };
    const outcomes = {
      evaluate: jest.fn(async () => {
        // Outcomes are judged after the pass, on what it recorded.
        expect(agent.runAll).toHaveBeenCalledTimes(1);
        return { decided: 0, pending: 0 };
      }),
    };
    await scheduleAgent({
      agent: agent as unknown as MonitoringAgent,
      outcomes,
      scheduler,
      signals,
      logger: mockServices.logger.mock(),
      config,
      lifecycle,
    });

    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'product-os.diagnosis-agent',
        frequency: { minutes: 15 },
      }),
    );
    const task = (scheduler.scheduleTask as jest.Mock).mock.calls[0][0];
    await task.fn(new AbortController().signal);
    expect(agent.runAll).toHaveBeenCalledTimes(1);
    expect(outcomes.evaluate).toHaveBeenCalledTimes(1);

    signals.notify('component:default/a', 'incident_triggered');
    signals.notify('component:default/a', 'new_error_group');
    signals.notify('component:default/b', 'new_error_group');
    jest.advanceTimersByTime(29_999);
    expect(agent.runForEntity).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(agent.runForEntity.mock.calls).toEqual([
      ['component:default/a'],
      ['component:default/b'],
    ]);
    // One more look at each, a debounce period later: what was signalled may still be growing.
    jest.advanceTimersByTime(30_000);
    expect(agent.runForEntity.mock.calls).toEqual([
      ['component:default/a'],
      ['component:default/b'],
      ['component:default/a'],
      ['component:default/b'],
    ]);
    jest.advanceTimersByTime(60_000);
    expect(agent.runForEntity).toHaveBeenCalledTimes(4);

    // After shutdown, signals no longer start runs, nor follow-ups.
    signals.notify('component:default/a', 'incident_triggered');
    jest.advanceTimersByTime(30_000);
    expect(agent.runForEntity).toHaveBeenCalledTimes(5);
    hooks.forEach(hook => hook());
    signals.notify('component:default/a', 'incident_triggered');
    jest.advanceTimersByTime(120_000);
    expect(agent.runForEntity).toHaveBeenCalledTimes(5);
  });

  it('looks again at once at the open dependents of an entity whose run recorded new trouble', async () => {
    const scheduler = mockServices.scheduler.mock();
    const signals = new IngestSignals();
    const trouble = (entityRef: string) => ({
      entityRef,
      anomalies:
        entityRef === 'component:default/checkout-api'
          ? [{ anomaly: {} as any, outcome: 'created' as const }]
          : [],
      closed: [],
    });
    const agent = {
      runAll: jest.fn(async () => []),
      runForEntity: jest.fn(async (entityRef: string) => trouble(entityRef)),
      openDependents: jest.fn(async (entityRef: string) =>
        entityRef === 'component:default/checkout-api'
          ? ['component:default/storefront']
          : [],
      ),
    };
    await scheduleAgent({
      agent: agent as unknown as MonitoringAgent,
      scheduler,
      signals,
      logger: mockServices.logger.mock(),
      config: { ...readAgentConfig(), signalDebounceMs: 30_000 },
    });

    signals.notify('component:default/checkout-api', 'new_error_group');
    await jest.advanceTimersByTimeAsync(30_000);
    // The storefront, paged earlier, takes checkout-api's trouble in without waiting for a signal.
    expect(agent.runForEntity.mock.calls).toEqual([
      ['component:default/checkout-api'],
      ['component:default/storefront'],
    ]);
    // The storefront's run recorded nothing new, so nobody downstream of it is asked.
    expect(agent.openDependents.mock.calls).toEqual([
      ['component:default/checkout-api'],
    ]);
  });

  it('schedules nothing when the agent is disabled', async () => {
    const scheduler = mockServices.scheduler.mock();
    const signals = new IngestSignals();
    await scheduleAgent({
      agent: {} as MonitoringAgent,
      scheduler,
      signals,
      logger: mockServices.logger.mock(),
      config: { ...readAgentConfig(), enabled: false },
    });
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
  });

  it('debounces per key', () => {
    const fired: string[] = [];
    const debouncer = new Debouncer(100, key => fired.push(key));
    debouncer.push('a');
    jest.advanceTimersByTime(50);
    debouncer.push('a');
    jest.advanceTimersByTime(50);
    expect(fired).toEqual(['a']);
    debouncer.push('a');
    debouncer.stop();
    jest.advanceTimersByTime(200);
    expect(fired).toEqual(['a']);
  });
});
