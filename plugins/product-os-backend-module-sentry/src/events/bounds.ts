/*
 * The size bounds of everything stored of a Sentry event. A DSN key is public (it ships in every
 * client), so whoever holds one can send any JSON that fits the body limits; nothing of it is
 * stored without a bound. The numbers are listed in the module README ("What is stored per
 * event"); change both together.
 */

/**
 * The largest error event read by default (`bodyLimits.eventBytes`), in bytes of its JSON: an
 * `event` envelope item, or the body of the legacy store endpoint. Sentry's own ingestion refuses
 * events over 1 MiB (Relay's `max_event_size`) with 413, so no SDK sends more. An event is parsed
 * in one synchronous `JSON.parse`, which cannot be sliced; a large one runs on a worker thread
 * (`readEvent.ts`), so this bounds what a thread spends on it, not the event loop.
 */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** The hard cap on a sampled event's payload: UTF-8 bytes of its JSON, after trimming. */
export const MAX_SAMPLE_BYTES = 64 * 1024;

/** Characters of the event fields stored in columns and in the sample. */
export const TEXT_LIMITS = {
  eventId: 32,
  level: 32,
  platform: 64,
  logger: 128,
  transaction: 256,
  release: 250,
  dist: 64,
  environment: 250,
  serverName: 256,
  culprit: 256,
  title: 256,
  /** The message in the sample (the formatted `logentry`, or `message`). */
  message: 2048,
  /** A formatted `logentry` before it is cut for the sample or the title. */
  formattedMessage: 8192,
  exceptionType: 256,
  exceptionValue: 2048,
  exceptionModule: 256,
  mechanismType: 64,
  mechanismSource: 128,
  frameFilename: 512,
  frameModule: 256,
  frameFunction: 256,
  frameContextLine: 256,
  sdkName: 128,
  sdkVersion: 64,
  fingerprintPart: 256,
  tagKey: 128,
  tagValue: 256,
  contextKey: 64,
  contextValue: 256,
} as const;

/** Counts of the repeated parts of the sample. */
export const COUNT_LIMITS = {
  /** Chained exceptions kept, the last ones (the main exception is the last). */
  exceptions: 5,
  /** Frames kept per exception, nearest the top of the stack. */
  frames: 30,
  tags: 50,
  /** Scalar keys kept per kept context (`runtime`, `os`, `trace`, `app`); nested values are dropped. */
  contextKeys: 30,
  fingerprintParts: 10,
  /** Paths listed in the sample's `_meta.trimmed`. */
  trimmedPaths: 20,
} as const;

/** Line and column numbers outside this range are dropped (they are stored as JSON numbers). */
export const MAX_LINE_NUMBER = 2 ** 31 - 1;

/** Appended to a string that was cut, within its limit. */
export const TRUNCATION_MARKER = '…';
