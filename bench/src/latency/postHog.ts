import { PostHog } from 'posthog-node';
import { BenchService, KEY_METRIC } from './services';

const HOUR_MS = 3_600_000;
/** The key metric's usual events an hour (the agent judges metrics from 50 an hour up). */
const USUAL_PER_HOUR = 60;
/** Its events an hour during the drop: a quarter of the usual. */
const DROPPED_PER_HOUR = 15;

/**
 * The service's analytics through the PostHog capture endpoint, sent with posthog-node as an
 * application would (`capture` with the event's own timestamp, batched by the SDK).
 */
export class ServiceAnalytics {
  private readonly client: PostHog;

  constructor(base: string, service: BenchService) {
    this.client = new PostHog(service.postHogKey, {
      host: `${base}/posthog`,
      flushAt: 500,
      maxBatchSize: 500,
      flushInterval: 0,
    });
  }

  /**
   * The history a drop is judged against, up to the hour the drop began: three days and the
   * hours the level is measured over at the usual rate, then the first hour of the drop, two
   * hours before the current one. The drop's second hour is still missing, so nothing is
   * complete enough to report yet (a missing hour is data on its way, not a zero).
   */
  async history(now: number): Promise<void> {
    const current = Math.floor(now / HOUR_MS) * HOUR_MS;
    const dropStart = current - 2 * HOUR_MS;
    for (
      let hour = dropStart - 3 * 24 * HOUR_MS - 9 * HOUR_MS;
      hour < dropStart;
      hour += HOUR_MS
    )
      this.hour(hour, USUAL_PER_HOUR);
    this.hour(dropStart, DROPPED_PER_HOUR);
    await this.client.flush();
  }

  /**
   * What reveals the drop: the events of its second hour, the one before the current, and the
   * first of the current hour, as they arrive once that hour has closed.
   */
  async secondHour(now: number): Promise<void> {
    const current = Math.floor(now / HOUR_MS) * HOUR_MS;
    this.hour(current - HOUR_MS, DROPPED_PER_HOUR);
    await this.more(now);
  }

  /** A few more events of the current hour, still at the dropped rate. */
  async more(now: number): Promise<void> {
    for (let i = 0; i < 2; i++) this.capture(now - i * 1000, i);
    await this.client.flush();
  }

  async shutdown(): Promise<void> {
    await this.client.shutdown();
  }

  /** The drop begins where the history leaves the usual rate. */
  static dropStart(now: number): number {
    return Math.floor(now / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
  }

  private hour(start: number, events: number) {
    for (let i = 0; i < events; i++)
      this.capture(start + Math.floor(((i + 0.5) * HOUR_MS) / events), i);
  }

  private capture(at: number, i: number) {
    this.client.capture({
      distinctId: `shopper-${i % 40}`,
      event: KEY_METRIC,
      timestamp: new Date(at),
      properties: { plan: 'pro' },
    });
  }
}
