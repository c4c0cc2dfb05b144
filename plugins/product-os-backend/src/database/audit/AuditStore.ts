export interface AuditEntryInput {
  at: number;
  actor: string;
  action: string;
  target: string;
  diagnosisId?: number;
  request: unknown;
  /** `pending` from the claim of a write until its outcome is known. */
  outcome: 'pending' | 'succeeded' | 'failed';
  result?: unknown;
}

/** The claim of a preview's single write, or the entry that already holds it. */
export type AuditClaim =
  | { claimed: true; id: number }
  | { claimed: false; existing: AuditEntry };

export interface AuditEntry extends Omit<AuditEntryInput, 'at'> {
  id: number;
  at: string;
}

/** What people did through Product OS (issues opened, comments written), newest first. */
export interface AuditStore {
  /**
   * Claims the single write of a confirmed preview: records a `pending` audit entry holding
   * `previewToken`, unless an entry already holds it (the database enforces one per token, so
   * two instances racing cannot both claim it).
   */
  claimAuditedWrite(
    entry: Omit<AuditEntryInput, 'outcome' | 'result'> & {
      previewToken: string;
    },
  ): Promise<AuditClaim>;
  /**
   * Records the outcome of a claimed write. A failed write gives the token back (the entry
   * stays, without the claim), so the same preview can be tried again; a written one keeps it.
   */
  settleAuditedWrite(
    id: number,
    settled: { at: number; outcome: 'succeeded' | 'failed'; result?: unknown },
  ): Promise<void>;
  listAudit(limit: number): Promise<AuditEntry[]>;
}
