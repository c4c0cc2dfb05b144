import { POSTHOG_PROJECT_KEY_ANNOTATION } from '@internal/plugin-product-os-common';
import {
  type ErrorEventInput,
  errorEventsFor,
  MetricPointInput,
  forEachSlice,
  type ProductOsSourceContext,
  recordsFor,
  yieldToEventLoop,
} from '@internal/plugin-product-os-node';
import {
  capturePart,
  type CapturePart,
  EVENTS_PER_PART,
} from './capture/prepareCapture';
import type { CapturedEvent } from './capture/normalizeEvents';
import { sliceMetricPoints } from './metrics/sliceMetricPoints';

/*
 * A request may carry tens of thousands of events. Writing them all at once would hold the
 * event loop for seconds (SQLite's driver is synchronous: a transaction holds the loop from its
 * first statement to its commit, and the commit of tens of thousands of rows alone takes tens of
 * milliseconds). So a request is stored in parts of a bounded number of events, each its own
 * transaction, with a turn of the event loop between every write. Reading and mapping a large
 * request happens before, on a worker thread (see `capture/prepareCapture.ts`).
 */
/** Distinct users per metric write: one insert statement of 500 rows. */
const USERS_PER_WRITE = 500;

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
  const parts: CapturePart[] = [];
  await forEachSlice(events, EVENTS_PER_PART, slice => {
    parts.push(capturePart(apiKey, slice));
  });
  return writeCapture(context, { apiKey, parts }, options);
}

/** Stores a request already mapped into parts (see {@link ingestCapture}). */
export async function writeCapture(
  context: ProductOsSourceContext,
  request: { apiKey: string; parts: CapturePart[] },
  options: { deliveryId: string; receivedAt: number },
): Promise<CaptureOutcome> {
  const { apiKey } = request;
  const claimed = await context.store.claim({
    source: 'posthog',
    annotation: POSTHOG_PROJECT_KEY_ANNOTATION,
    values: [apiKey],
    unmappedKey: `project-key:${apiKey}`,
    at: options.receivedAt,
  });
  if (claimed.length === 0) return { mapped: false, duplicate: false };
  const entityRefs = claimed.map(entity => entity.entityRef);

  // A request without events still claims its delivery id, like any other.
  const parts =
    request.parts.length > 0
      ? request.parts
      : [{ points: [], exceptionSlices: [] }];
  let storedParts = 0;
  for (const [index, part] of parts.entries()) {
    if (index > 0) await yieldToEventLoop();
    const deliveryId =
      index === 0 ? options.deliveryId : `${options.deliveryId}:${index}`;
    const { duplicate } = await storePart(context, {
      entityRefs,
      part,
      deliveryId,
    });
    if (!duplicate) storedParts += 1;
  }
  return { mapped: true, duplicate: storedParts === 0 };
}

/** One part of a request, in one transaction. */
async function storePart(
  context: ProductOsSourceContext,
  options: { entityRefs: string[]; part: CapturePart; deliveryId: string },
): Promise<{ duplicate: boolean }> {
  const { entityRefs, part } = options;
  const { points, exceptionSlices } = part;
  const { duplicate } = await context.store.ingest(
    { source: 'posthog', deliveryId: options.deliveryId },
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
        // The entity's copies of the exceptions (ids naming the entity when several claim
        // them), a write's worth parsed at a time.
        for (const slice of exceptionSlices) {
          await yieldToEventLoop();
          const exceptions: Omit<ErrorEventInput, 'entityRef'>[] =
            JSON.parse(slice);
          await writer.recordErrorEvents(
            errorEventsFor(entityRefs, exceptions).slice(
              index * exceptions.length,
              (index + 1) * exceptions.length,
            ),
          );
        }
      }
    },
  );
  return { duplicate };
}
