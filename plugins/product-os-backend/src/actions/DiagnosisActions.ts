import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  ActionPreview,
  ActionResult,
  DiagnosisActionId,
} from '@internal/plugin-product-os-common';
import { timingSafeEqual } from 'crypto';
import type { DiagnosisStore } from '../database/anomalies/DiagnosisStore';
import type { AuditStore } from '../database/audit/AuditStore';
import type { ChangeStore } from '../database/changes/ChangeStore';
import { actorOf } from '../entities/actorOf';
import type { EntityAccess } from '../entities/EntityAccess';
import { DiagnosisRedaction } from '../read/redactDiagnoses';
import { GithubWriteError, GithubWriter } from './GithubWriter';
import { previewToken, renderActionPreview } from './renderActionPreview';
import { resolveActionTarget } from './resolveActionTarget';

export interface DiagnosisActionsOptions {
  /** `productOs.actions.enabled`; when false nothing is ever written. */
  enabled: boolean;
  /** The diagnoses acted on, and the changes their targets are found among. */
  diagnoses: Pick<DiagnosisStore, 'getDiagnosis' | 'getRedactableTexts'>;
  changes: Pick<ChangeStore, 'getChangeEvents'>;
  /** Where each write is claimed before it is made, and settled after. */
  audit: Pick<AuditStore, 'claimAuditedWrite' | 'settleAuditedWrite'>;
  entities: EntityAccess;
  writer: GithubWriter;
  logger: LoggerService;
  now?: () => number;
}

function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Writes a diagnosis to GitHub, narrowly: only the two actions, only when enabled, only the
 * exact text of a preview the caller confirmed (its token must match the preview as it is now),
 * at most once per preview, and every write attempt goes to the audit log with its outcome.
 * The preview shows the diagnosis as the caller may see it (redacted like every read), so
 * nothing of an entity hidden from them can be published.
 *
 * "At most once" holds across restarts and backend instances: the write is claimed in the
 * audit log (unique preview token) before GitHub is called, and a claim is only given back when
 * GitHub refused the write.
 */
export class DiagnosisActions {
  private readonly now: () => number;
  private readonly redaction: DiagnosisRedaction;

  constructor(private readonly options: DiagnosisActionsOptions) {
    this.now = options.now ?? Date.now;
    this.redaction = new DiagnosisRedaction(
      options.diagnoses,
      options.entities,
    );
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  private async prepare(
    diagnosisId: number,
    action: DiagnosisActionId,
    credentials: BackstageCredentials,
  ) {
    const { diagnoses, changes, entities } = this.options;
    const stored = await diagnoses.getDiagnosis(diagnosisId);
    if (!stored) throw new NotFoundError(`No diagnosis ${diagnosisId}`);
    let entity;
    try {
      entity = await entities.getReadable(
        parseEntityRef(stored.entityRef),
        credentials,
      );
    } catch (error) {
      // An entity the caller may not see hides its diagnoses too.
      if ((error as Error).name === 'NotFoundError') {
        throw new NotFoundError(`No diagnosis ${diagnosisId}`);
      }
      throw error;
    }
    const { diagnosis } = await this.redaction.redactOne(stored, credentials);
    const target = await resolveActionTarget({
      action,
      diagnosis,
      entity,
      changes,
      topSuspectHidden: diagnosis.hiddenTopSuspect !== undefined,
      entityOf: async ref => {
        const [found] = await entities.filterReadable([ref], credentials);
        return found;
      },
    });
    const rendered = renderActionPreview({
      action,
      diagnosis,
      repository: target.repository,
      pullNumber: target.pullNumber,
      actor: actorOf(credentials),
    });
    return { diagnosis, target, rendered, token: previewToken(rendered) };
  }

  /** Exactly what would be written where, and the token that confirms it. */
  async preview(options: {
    diagnosisId: number;
    action: DiagnosisActionId;
    credentials: BackstageCredentials;
    /** Whether the caller holds `product-os.diagnosis.act`. */
    canAct: boolean;
  }): Promise<ActionPreview> {
    const { rendered, target, token } = await this.prepare(
      options.diagnosisId,
      options.action,
      options.credentials,
    );
    let disabledReason: string | undefined;
    if (!this.enabled)
      disabledReason =
        'Actions are disabled (productOs.actions.enabled is not true)';
    else if (!options.canAct)
      disabledReason = 'You lack the permission product-os.diagnosis.act';
    else if (target.problem) disabledReason = target.problem;
    return {
      ...rendered,
      enabled: disabledReason === undefined,
      ...(disabledReason ? { disabledReason } : {}),
      previewToken: token,
    };
  }

  /**
   * Writes the confirmed preview. The caller has already checked the permission, that actions
   * are enabled and that the request carries `confirm: true`.
   */
  async run(options: {
    diagnosisId: number;
    action: DiagnosisActionId;
    previewToken: string;
    credentials: BackstageCredentials;
  }): Promise<ActionResult> {
    const { writer, logger } = this.options;
    const auditLog = this.options.audit;
    const { diagnosis, rendered, target, token } = await this.prepare(
      options.diagnosisId,
      options.action,
      options.credentials,
    );
    if (target.problem || !target.repository) {
      throw new InputError(`Cannot run ${options.action}: ${target.problem}`);
    }
    if (!tokensMatch(options.previewToken, token)) {
      throw new ConflictError(
        'What would be written has changed since the preview; preview again and confirm the new text',
      );
    }
    const actor = actorOf(options.credentials);
    const audit = {
      actor,
      action: options.action,
      target: rendered.target,
      diagnosisId: diagnosis.id,
      request: {
        title: rendered.title,
        body: rendered.body,
        previewToken: token,
      },
    };
    // Claimed before GitHub is called: a second run of this preview, here, after a restart or
    // on another instance, finds the claim and writes nothing.
    const claim = await auditLog.claimAuditedWrite({
      ...audit,
      at: this.now(),
      previewToken: token,
    });
    if (!claim.claimed) {
      const { existing } = claim;
      const url = (existing.result as { url?: unknown } | undefined)?.url;
      throw new ConflictError(
        existing.outcome === 'pending'
          ? 'This preview is being written already (or its write was interrupted; see the audit log)'
          : `This preview was already written${
              typeof url === 'string' ? `: ${url}` : ''
            }`,
      );
    }
    let result: ActionResult;
    try {
      result =
        options.action === 'github-issue'
          ? await writer.createIssue(
              target.repository,
              rendered.title!,
              rendered.body,
            )
          : await writer.commentOnPullRequest(
              target.repository,
              target.pullNumber!,
              rendered.body,
            );
    } catch (error) {
      if (!(error instanceof GithubWriteError)) {
        // Whether anything was written is unknown: the claim stays, so it is never written twice.
        logger.error('Writing a diagnosis to GitHub failed unexpectedly', {
          actor,
          action: options.action,
          target: rendered.target,
          error: String(error),
        });
        throw error;
      }
      // GitHub refused it, so nothing was written: the token is given back for a retry.
      await auditLog.settleAuditedWrite(claim.id, {
        at: this.now(),
        outcome: 'failed',
        result: { error: error.message, githubStatus: error.githubStatus },
      });
      logger.warn('Writing a diagnosis to GitHub failed', {
        actor,
        action: options.action,
        target: rendered.target,
        error: error.message,
      });
      throw error;
    }
    await auditLog.settleAuditedWrite(claim.id, {
      at: this.now(),
      outcome: 'succeeded',
      result,
    });
    logger.info('Wrote a diagnosis to GitHub', {
      actor,
      action: options.action,
      target: rendered.target,
      url: result.url,
    });
    return result;
  }
}
