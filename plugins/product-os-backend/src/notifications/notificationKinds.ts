import {
  notificationSeverities,
  type NotificationSeverity,
} from '@backstage/plugin-notifications-common';
import type { AnomalyKind } from '@internal/plugin-product-os-common';

export type { NotificationSeverity };

/** Backstage's severities, most severe first. */
export const NOTIFICATION_SEVERITIES: readonly NotificationSeverity[] =
  notificationSeverities;

/** The kinds of trouble a diagnosis can be about (`productOs.notifications.anomalyKinds`). */
export const ANOMALY_KINDS: readonly string[] = [
  'error_spike',
  'new_error_group',
  'regression',
  'incident',
  'metric_drop',
] satisfies AnomalyKind[];
