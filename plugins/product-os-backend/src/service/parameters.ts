import { InputError } from '@backstage/errors';
import {
  ACTIONABILITIES,
  BUCKET_SIZES,
  BucketSize,
  DIAGNOSIS_ACTIONS,
  DIAGNOSIS_REVIEW_STATUSES,
  DIAGNOSIS_STATUSES,
  DiagnosisActionId,
  DiagnosisReviewStatus,
  DiagnosisStatus,
  Actionability,
  TIME_WINDOWS,
  TimeWindowName,
} from '@internal/plugin-product-os-common';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { DAY_MS, HOUR_MS } from '../time';
import type { BucketedRange } from '../database/TimeRange';

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

/** One of a list of values defined in product-os-common, as a zod enum. */
function oneOf<T extends string>(values: readonly T[]) {
  return z.enum(values as [T, ...T[]]);
}

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
    status: oneOrMany(oneOf<DiagnosisStatus>(DIAGNOSIS_STATUSES)).optional(),
    actionability: oneOrMany(oneOf<Actionability>(ACTIONABILITIES)).optional(),
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
  status: oneOf<DiagnosisReviewStatus>(DIAGNOSIS_REVIEW_STATUSES),
  reason: z.string().max(2000).optional(),
});

/**
 * The body of `POST /diagnoses/:id/actions/:action/run`: the user confirmed exactly the preview
 * whose token they send.
 */
export const runActionBody = z.object({
  confirm: z.unknown().refine(value => value === true, {
    message: 'must be true, after the user confirmed the preview',
  }),
  previewToken: z
    .unknown()
    .refine(
      value => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value),
      { message: 'send the previewToken of the preview the user confirmed' },
    )
    .transform(value => value as string),
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

/** A diagnosis action named by the path, or a 400. */
export function parseAction(value: string): DiagnosisActionId {
  const action = DIAGNOSIS_ACTIONS.find(known => known === value);
  if (!action) {
    throw new InputError(
      `action: expected one of ${DIAGNOSIS_ACTIONS.join(', ')}`,
    );
  }
  return action;
}

/*
 * Validation as middleware: each parses one part of the request before the route's handler runs
 * (and before it authenticates, so a malformed request is a 400 whoever sends it), and leaves
 * the parsed value in `res.locals` for the handler.
 */

/** Parses the query string into `res.locals.query`. */
export function validQuery<T extends z.ZodTypeAny>(schema: T): RequestHandler {
  return (req, res, next) => {
    res.locals.query = parseQuery(schema, req.query);
    next();
  };
}

/** Parses the JSON body into `res.locals.body`. */
export function validBody<T extends z.ZodTypeAny>(schema: T): RequestHandler {
  return (req, res, next) => {
    res.locals.body = parseBody(schema, req.body);
    next();
  };
}

/** Parses the `:id` of the path into `res.locals.id`. */
export function validId(what: string): RequestHandler {
  return (req, res, next) => {
    res.locals.id = parseId(req.params.id, what);
    next();
  };
}

/** Parses `/diagnoses/:id/actions/:action` into `res.locals.id` and `res.locals.action`. */
export const validActionPath: RequestHandler = (req, res, next) => {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new InputError(`id: ${req.params.id} is not a diagnosis id`);
  }
  res.locals.id = id;
  res.locals.action = parseAction(req.params.action);
  next();
};

export type WindowQuery = z.infer<typeof queries.window>;
export type ChangesQuery = z.infer<typeof queries.changes>;
export type HealthQuery = z.infer<typeof queries.health>;
export type DiagnosesQuery = z.infer<typeof queries.diagnoses>;
export type UnmappedQuery = z.infer<typeof queries.unmapped>;
export type StatusChangeBody = z.infer<typeof statusChangeBody>;
export type RunActionBody = z.infer<typeof runActionBody>;
