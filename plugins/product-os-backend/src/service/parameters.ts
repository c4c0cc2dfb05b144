import { InputError } from '@backstage/errors';
import {
  BUCKET_SIZES,
  BucketSize,
  TIME_WINDOWS,
  TimeWindowName,
} from '@internal/plugin-product-os-common';
import { z } from 'zod';
import { DAY_MS, HOUR_MS } from '../database/rows';
import type { BucketedRange } from '../database/ProductOsStore';

const WINDOW_MS: Record<TimeWindowName, number> = {
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
  '90d': 90 * DAY_MS,
};

const BUCKET_MS: Record<BucketSize, number> = { hour: HOUR_MS, day: DAY_MS };

/**
 * A parameter that may be given once (`?kind=release`) or repeated (`?kind=release&kind=deployment`).
 * The value is made a list before it is checked, so a bad value is reported for what it is rather
 * than as a failed union.
 */
const oneOrMany = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess(
    v => (v === undefined || Array.isArray(v) ? v : [v]),
    z.array(item),
  );

const windowQuery = z.object({
  window: z.enum(TIME_WINDOWS).default('7d'),
  bucket: z.enum(BUCKET_SIZES).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const queries = {
  window: windowQuery,
  changes: windowQuery.extend({
    kind: oneOrMany(
      z.enum(['commit', 'pull_request', 'deployment', 'release', 'change']),
    ).optional(),
  }),
  health: z.object({
    window: z.enum(TIME_WINDOWS).default('7d'),
    owner: z.string().min(1).optional(),
    system: z.string().min(1).optional(),
    lifecycle: z.string().min(1).optional(),
  }),
  diagnoses: z.object({
    status: oneOrMany(
      z.enum(['open', 'acknowledged', 'resolved', 'rejected']),
    ).optional(),
    actionability: oneOrMany(
      z.enum(['collecting', 'needs_human', 'actionable']),
    ).optional(),
    owner: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  }),
  /** `GET /admin/unmapped`: a page of the keys no entity claims. */
  unmapped: z.object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  }),
};

/** Parses a query string, or fails with a 400 that names the bad parameter. */
export function parseQuery<T extends z.ZodTypeAny>(
  schema: T,
  query: unknown,
): z.infer<T> {
  const result = schema.safeParse(query);
  if (!result.success) {
    const issue = result.error.issues[0];
    // The parameter's name, not the index of a repeated value: `kind`, not `kind.1`.
    throw new InputError(
      `Invalid query parameter '${issue.path[0]}': ${issue.message}`,
    );
  }
  return result.data;
}

/**
 * The range a `window` covers, ending now, with hourly buckets for short windows and daily ones
 * for long windows unless `bucket` says otherwise.
 */
export function toRange(
  query: { window: TimeWindowName; bucket?: BucketSize },
  now: number,
): BucketedRange & { bucket: BucketSize } {
  const span = WINDOW_MS[query.window];
  const bucket = query.bucket ?? (span > 7 * DAY_MS ? 'day' : 'hour');
  const bucketMs = BUCKET_MS[bucket];
  // The window ends with the current bucket, so the newest point is the one still filling.
  const to = Math.floor(now / bucketMs) * bucketMs + bucketMs;
  return { from: to - span, to, bucketMs, bucket };
}

/** The body of `POST /diagnoses/:id/status`. */
export const statusChangeBody = z.object({
  status: z.enum(['acknowledged', 'resolved', 'rejected']),
  reason: z.string().max(2000).optional(),
});

/** Parses a JSON body, or fails with a 400 that names the bad field. */
export function parseBody<T extends z.ZodTypeAny>(
  schema: T,
  body: unknown,
): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(
      `Invalid body field '${issue.path.join('.') || 'body'}': ${
        issue.message
      }`,
    );
  }
  return result.data;
}

/** A positive integer id from the path, or a 400. */
export function parseId(value: string, what: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new InputError(`'${value}' is not ${what} id`);
  return id;
}
