import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  ActionPreview,
  ActionResult,
  Actionability,
  BucketSize,
  ChangeEvent,
  ChangeKind,
  Diagnosis,
  DiagnosisActionId,
  DiagnosisReviewStatus,
  DiagnosisStatus,
  HealthList,
  EntityOverview,
  EntitySyncStatus,
  ErrorGroup,
  ErrorTrend,
  Incident,
  ListResponse,
  MetricSeries,
  ProductOsFrontendConfig,
  Rollup,
  TimelineItem,
  TimeWindowName,
} from '@internal/plugin-product-os-common';

/** Options shared by the entity reads that cover a time window. @public */
export interface WindowOptions {
  window?: TimeWindowName;
}

/** Options of the bucketed entity reads. @public */
export interface BucketedWindowOptions extends WindowOptions {
  bucket?: BucketSize;
}

/** Filters of the leaders' health list. @public */
export interface HealthFilter {
  /** Owner entity ref, e.g. `group:default/payments`. */
  owner?: string;
  /** System entity ref, e.g. `system:default/checkout`. */
  system?: string;
  lifecycle?: string;
}

/** Filters of the portal-wide diagnosis list. @public */
export interface DiagnosisFilter {
  status?: DiagnosisStatus;
  actionability?: Actionability | Actionability[];
  owner?: string;
}

/** A status a person can move a diagnosis to (defined with the lifecycle). @public */
export type { DiagnosisReviewStatus };

/** The Product OS read and review API, as the frontend sees it. @public */
export interface ProductOsApi {
  getOverview(
    entity: CompoundEntityRef,
    options?: WindowOptions,
  ): Promise<EntityOverview>;
  getErrors(
    entity: CompoundEntityRef,
    options?: WindowOptions & { limit?: number },
  ): Promise<ListResponse<ErrorGroup>>;
  getErrorTrend(
    entity: CompoundEntityRef,
    options?: BucketedWindowOptions,
  ): Promise<ErrorTrend>;
  /** Changes newest first, optionally only the given kinds. */
  getChanges(
    entity: CompoundEntityRef,
    options?: WindowOptions & { kinds?: ChangeKind[] },
  ): Promise<ListResponse<ChangeEvent>>;
  getIncidents(
    entity: CompoundEntityRef,
    options?: WindowOptions,
  ): Promise<ListResponse<Incident>>;
  getMetrics(
    entity: CompoundEntityRef,
    options?: BucketedWindowOptions,
  ): Promise<ListResponse<MetricSeries>>;
  getDiagnoses(
    entity: CompoundEntityRef,
    options?: { status?: DiagnosisStatus },
  ): Promise<ListResponse<Diagnosis>>;
  getTimeline(
    entity: CompoundEntityRef,
    options?: WindowOptions,
  ): Promise<ListResponse<TimelineItem>>;
  /** Entities with their health in the window (7 days unless told), for the leaders' page. */
  getHealth(
    filter?: HealthFilter,
    options?: WindowOptions,
  ): Promise<HealthList>;
  /**
   * A group's (with every group below it), system's or domain's roll-up: its services ranked
   * worst first with ties inside the noise, pooled DORA, what is open, and 90 days of history.
   */
  getRollup(subject: CompoundEntityRef): Promise<Rollup>;
  /** Diagnoses across the portal, e.g. the ones that need a human. */
  listDiagnoses(filter?: DiagnosisFilter): Promise<ListResponse<Diagnosis>>;
  updateDiagnosisStatus(
    id: number,
    update: { status: DiagnosisReviewStatus; reason?: string },
  ): Promise<Diagnosis>;
  /** What an action would write, without writing it. */
  previewDiagnosisAction(
    id: number,
    action: DiagnosisActionId,
  ): Promise<ActionPreview>;
  /**
   * Runs an action the user has confirmed. `previewToken` comes from the preview the user saw,
   * so the backend refuses (409) when what it would write has changed since.
   */
  runDiagnosisAction(
    id: number,
    action: DiagnosisActionId,
    previewToken: string,
  ): Promise<ActionResult>;
  getConfig(): Promise<ProductOsFrontendConfig>;
  /** Where each source's pull stands for the entity, and how to connect those not configured. */
  getSyncStatus(entity: CompoundEntityRef): Promise<EntitySyncStatus>;
  /**
   * Pulls the entity's scopes now instead of at their next scheduled run ("sync now"; needs
   * `product-os.entity.sync`); resolves with the state after the pull.
   */
  syncNow(entity: CompoundEntityRef): Promise<EntitySyncStatus>;
}

/** The {@link ProductOsApi} reference. @public */
export const productOsApiRef = createApiRef<ProductOsApi>({
  id: 'plugin.product-os.service',
});
