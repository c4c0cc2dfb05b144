import { POSTHOG_PROJECT_KEY_ANNOTATION } from '@internal/plugin-product-os-common';
import {
  ErrorEventInput,
  errorEventsFor,
  MetricPointInput,
  forEachSlice,
  type ProductOsSourceContext,
  recordsFor,
  yieldToEventLoop,
} from '@internal/plugin-product-os-node';
import type { CapturedEvent } from './capture/normalizeEvents';
import { userKeyOf } from './capture/userKey';
import { mapException } from './exceptions/mapException';
import { sliceMetricPoints } from './metrics/sliceMetricPoints';
import { toMetricPoints } from './metrics/toMetricPoints';

/*
 * A request may carry tens of thousands of events. Hashing, mapping and writing them all at once
 * would hold the event loop for seconds (SQLite's driver is synchronous: a transaction holds the
 * loop from its first statement to its commit, and the commit of tens of thousands of rows alone
 * takes tens of milliseconds). So a request is stored in parts of a bounded number of events,
 * each its own transaction, with a turn of the event loop between every step.
 */
/** Events per part, each part stored in its own transaction. */
export const EVENTS_PER_PART = 2000;
/** Distinct users per metric write: one insert statement of 500 rows. */
const USERS_PER_WRITE = 500;
/** Exceptions per error write. */
const EXCEPTIONS_PER_WRITE = 100;
/** Exceptions mapped (parsed, fingerprinted) between two turns of the event loop. */
const EXCEPTIONS_PER_MAP = 250;

/** What became of a capture request. */
export interface CaptureOutcome {
  mapped: boolean;
  /** Every part of the request had been stored before (an SDK retrying a request that arrived). */
  duplicate: boolean;
}

/**
 * Stores a capture request for every entity that claims its project key: hourly metric points
 * per event name, and `$exception` events as error events. The host counts a key nobody claims
 * and tells the agent about new error groups and rises.
 *
 * The request is stored in parts of {@link EVENTS_PER_PART} events, each in one transaction
 * keyed by the request's delivery id and the part's index (part 0 by the delivery id alone), so
 * a retried request stores each part once, and one whose first attempt failed half-way stores
 * only the parts that were lost. Distinct users are counted across parts by the store.
 */
export async function ingestCapture(
  context: ProductOsSourceContext,
  request: { apiKey: string; events: CapturedEvent[] },
  options: { deliveryId: string; receivedAt: number },
): Promise<CaptureOutcome> {
  const { apiKey, events } = request;
  const claimed = await context.store.claim({
    source: 'posthog',
    annotation: POSTHOG_PROJECT_KEY_ANNOTATION,
    values: [apiKey],
    unmappedKey: `project-key:${apiKey}`,
    at: options.receivedAt,
  });
  if (claimed.length === 0) return { mapped: false, duplicate: false };
  const entityRefs = claimed.map(entity => entity.entityRef);

  let storedParts = 0;
  let index = 0;
  // A request without events still claims its delivery id, like any other.
  const parts = events.length > 0 ? events : [];
  const storePart = async (part: CapturedEvent[]) => {
    const deliveryId =
      index === 0 ? options.deliveryId : `${options.deliveryId}:${index}`;
    index += 1;
    const { duplicate } = await storeEvents(context, {
      apiKey,
      entityRefs,
      events: part,
      deliveryId,
    });
    if (!duplicate) storedParts += 1;
  };
  if (parts.length === 0) await storePart([]);
  else
    await forEachSlice(parts, EVENTS_PER_PART, async part => {
      await storePart(part);
    });
  return { mapped: true, duplicate: storedParts === 0 };
}

/** One part of a request, in one transaction. */
async function storeEvents(
  context: ProductOsSourceContext,
  part: {
    apiKey: string;
    entityRefs: string[];
    events: CapturedEvent[];
    deliveryId: string;
  },
): Promise<{ duplicate: boolean }> {
  const { apiKey, entityRefs, events } = part;
  // Each user's key is hashed once, whatever the number of entities it is written for.
  const userKeys = new Map<CapturedEvent, string>();
  for (const event of events) {
    if (event.distinctId && !event.personless)
      userKeys.set(event, userKeyOf(apiKey, event.distinctId));
  }
  const points = toMetricPoints(events, '', event => userKeys.get(event));
  const exceptions: Omit<ErrorEventInput, 'entityRef'>[] = [];
  await forEachSlice(
    events.filter(event => event.name === '$exception'),
    EXCEPTIONS_PER_MAP,
    async slice => {
      await yieldToEventLoop();
      for (const event of slice)
        exceptions.push(mapException(event, userKeys.get(event)));
    },
  );

  // Each entity's copies of the exceptions, written entity by entity like its metrics.
  const copies = errorEventsFor(entityRefs, exceptions);
  const { duplicate } = await context.store.ingest(
    { source: 'posthog', deliveryId: part.deliveryId },
    async writer => {
      for (const [index, entityRef] of entityRefs.entries()) {
        const writes = sliceMetricPoints(
          recordsFor<MetricPointInput>([entityRef], points),
          USERS_PER_WRITE,
        );
        for (const write of writes) {
          await yieldToEventLoop();
          await writer.recordMetricPoints(write);
        }
        const own = copies.slice(
          index * exceptions.length,
          (index + 1) * exceptions.length,
        );
        await forEachSlice(own, EXCEPTIONS_PER_WRITE, async slice => {
          await yieldToEventLoop();
          await writer.recordErrorEvents(slice);
        });
      }
    },
  );
  return { duplicate };
}
