import { BucketSize, TimeWindowName } from '@internal/plugin-product-os-common';

const WINDOW_LABELS: Record<TimeWindowName, string> = {
  '24h': 'last 24 hours',
  '7d': 'last 7 days',
  '30d': 'last 30 days',
  '90d': 'last 90 days',
};

const PREVIOUS_WINDOW_LABELS: Record<TimeWindowName, string> = {
  '24h': 'previous 24 hours',
  '7d': 'previous 7 days',
  '30d': 'previous 30 days',
  '90d': 'previous 90 days',
};

/** "last 7 days" */
export function describeWindow(window: TimeWindowName): string {
  return WINDOW_LABELS[window];
}

/** "previous 7 days", the window compared against. */
export function describePreviousWindow(window: TimeWindowName): string {
  return PREVIOUS_WINDOW_LABELS[window];
}

/** Hourly buckets up to a week keep charts readable; longer windows go daily. */
export function bucketFor(window: TimeWindowName): BucketSize {
  return window === '24h' || window === '7d' ? 'hour' : 'day';
}
