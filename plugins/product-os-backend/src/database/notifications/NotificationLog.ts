/** What was last sent to an entity's owners about one case. */
export interface SentNotification {
  /** The notification scope (one per case). */
  scope: string;
  entityRef: string;
  diagnosisId: number;
  /** A digest of what was sent, to tell a rewrite with the same words from a real change. */
  digest: string;
  severity: string;
  sentAt: number;
}

/** The notifications Product OS sent, one row per scope: the last one sent. */
export interface NotificationLog {
  getSent(scope: string): Promise<SentNotification | undefined>;
  /** Records what was just sent for the scope, replacing what was sent before. */
  recordSent(sent: SentNotification): Promise<void>;
}
