import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ActionPreview,
  ActionResult,
  ChangeEvent,
  ChangeKind,
  Diagnosis,
  DiagnosisActionId,
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
} from '@internal/plugin-product-os-common';
import {
  BucketedWindowOptions,
  DiagnosisFilter,
  DiagnosisReviewStatus,
  HealthFilter,
  ProductOsApi,
  WindowOptions,
} from './ProductOsApi';

type QueryValue = string | number | undefined | ReadonlyArray<string>;

/** Calls the `product-os` backend plugin. @public */
export class ProductOsClient implements ProductOsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getOverview(entity: CompoundEntityRef, options: WindowOptions = {}) {
    return this.get<EntityOverview>(entityPath(entity, 'overview'), {
      window: options.window,
    });
  }

  getErrors(
    entity: CompoundEntityRef,
    options: WindowOptions & { limit?: number } = {},
  ) {
    return this.get<ListResponse<ErrorGroup>>(entityPath(entity, 'errors'), {
      window: options.window,
      limit: options.limit,
    });
  }

  getErrorTrend(
    entity: CompoundEntityRef,
    options: BucketedWindowOptions = {},
  ) {
    return this.get<ErrorTrend>(entityPath(entity, 'errors/trend'), {
      window: options.window,
      bucket: options.bucket,
    });
  }

  getChanges(
    entity: CompoundEntityRef,
    options: WindowOptions & { kinds?: ChangeKind[] } = {},
  ) {
    return this.get<ListResponse<ChangeEvent>>(entityPath(entity, 'changes'), {
      window: options.window,
      kind: options.kinds,
    });
  }

  getIncidents(entity: CompoundEntityRef, options: WindowOptions = {}) {
    return this.get<ListResponse<Incident>>(entityPath(entity, 'incidents'), {
      window: options.window,
    });
  }

  getMetrics(entity: CompoundEntityRef, options: BucketedWindowOptions = {}) {
    return this.get<ListResponse<MetricSeries>>(entityPath(entity, 'metrics'), {
      window: options.window,
      bucket: options.bucket,
    });
  }

  getDiagnoses(
    entity: CompoundEntityRef,
    options: { status?: DiagnosisStatus } = {},
  ) {
    return this.get<ListResponse<Diagnosis>>(entityPath(entity, 'diagnoses'), {
      status: options.status,
    });
  }

  getTimeline(entity: CompoundEntityRef, options: WindowOptions = {}) {
    return this.get<ListResponse<TimelineItem>>(
      entityPath(entity, 'timeline'),
      { window: options.window },
    );
  }

  getHealth(filter: HealthFilter = {}, options: WindowOptions = {}) {
    return this.get<HealthList>('/health', {
      window: options.window,
      owner: filter.owner,
      system: filter.system,
      lifecycle: filter.lifecycle,
    });
  }

  getRollup(subject: CompoundEntityRef) {
    return this.get<Rollup>(`/rollups/${refPath(subject)}`);
  }

  listDiagnoses(filter: DiagnosisFilter = {}) {
    return this.get<ListResponse<Diagnosis>>('/diagnoses', {
      status: filter.status,
      actionability: filter.actionability,
      owner: filter.owner,
    });
  }

  updateDiagnosisStatus(
    id: number,
    update: { status: DiagnosisReviewStatus; reason?: string },
  ) {
    return this.post<Diagnosis>(`/diagnoses/${id}/status`, update);
  }

  previewDiagnosisAction(id: number, action: DiagnosisActionId) {
    return this.post<ActionPreview>(
      `/diagnoses/${id}/actions/${encodeURIComponent(action)}/preview`,
      {},
    );
  }

  runDiagnosisAction(
    id: number,
    action: DiagnosisActionId,
    previewToken: string,
  ) {
    return this.post<ActionResult>(
      `/diagnoses/${id}/actions/${encodeURIComponent(action)}/run`,
      { confirm: true, previewToken },
    );
  }

  getConfig() {
    return this.get<ProductOsFrontendConfig>('/config');
  }

  getSyncStatus(entity: CompoundEntityRef) {
    return this.get<EntitySyncStatus>(entityPath(entity, 'sync'));
  }

  syncNow(entity: CompoundEntityRef) {
    return this.post<EntitySyncStatus>(entityPath(entity, 'sync'), {});
  }

  private async get<T>(
    path: string,
    query: Record<string, QueryValue> = {},
  ): Promise<T> {
    const url = `${await this.baseUrl()}${path}${toQueryString(query)}`;
    return this.parse<T>(await this.fetchApi.fetch(url));
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const res = await this.fetchApi.fetch(`${await this.baseUrl()}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return this.parse<T>(res);
  }

  private async parse<T>(res: Response): Promise<T> {
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }

  private baseUrl() {
    return this.discoveryApi.getBaseUrl('product-os');
  }
}

/** `kind/namespace/name` of a ref, each part escaped, the kind in lower case. */
function refPath(entity: CompoundEntityRef): string {
  return [entity.kind.toLocaleLowerCase('en-US'), entity.namespace, entity.name]
    .map(encodeURIComponent)
    .join('/');
}

function entityPath(entity: CompoundEntityRef, resource: string): string {
  return `/entities/${refPath(entity)}/${resource}`;
}

function toQueryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      value.forEach(v => params.append(key, v));
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
