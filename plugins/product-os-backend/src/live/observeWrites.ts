import type {
  Diagnosis,
  EntityTopic,
} from '@internal/plugin-product-os-common';
import type { AnomalyStore } from '../database/anomalies/AnomalyStore';
import type { DiagnosisStore } from '../database/anomalies/DiagnosisStore';
import type { ProductOsStores } from '../database/createProductOsStores';

/** Who hears of the agent's and the reviewers' writes. */
export interface WriteObservers {
  /** An entity's page shows something else now. */
  changed(entityRef: string, topics: EntityTopic[]): void;
  /** A diagnosis was written, rewritten or reviewed; awaited, but must not throw. */
  diagnosisChanged(diagnosis: Diagnosis): Promise<void>;
}

/**
 * The stores with their anomaly and diagnosis writes observed: whatever writes them (the agent's
 * runs, a re-research, a review through the API) tells the observers once the write is done.
 * Everything else passes through unchanged.
 */
export function observeWrites(
  stores: ProductOsStores,
  observers: WriteObservers,
): ProductOsStores {
  return {
    ...stores,
    anomalies: observedAnomalies(stores.anomalies, observers),
    diagnoses: observedDiagnoses(stores.diagnoses, observers),
  };
}

function observedDiagnoses(
  store: DiagnosisStore,
  observers: WriteObservers,
): DiagnosisStore {
  const changed = async (diagnosis: Diagnosis) => {
    observers.changed(diagnosis.entityRef, ['diagnoses']);
    await observers.diagnosisChanged(diagnosis);
  };
  return override(store, {
    async createDiagnosis(input) {
      const diagnosis = await store.createDiagnosis(input);
      await changed(diagnosis);
      return diagnosis;
    },
    async saveAgentDiagnosis(input) {
      const result = await store.saveAgentDiagnosis(input);
      if (result.outcome !== 'kept') await changed(result.diagnosis);
      return result;
    },
    async transitionDiagnosis(id, transition) {
      const result = await store.transitionDiagnosis(id, transition);
      if (result.outcome === 'updated') await changed(result.diagnosis);
      return result;
    },
  });
}

function observedAnomalies(
  store: AnomalyStore,
  observers: WriteObservers,
): AnomalyStore {
  return override(store, {
    async recordAnomaly(input, options) {
      const result = await store.recordAnomaly(input, options);
      if (result.outcome === 'created' || result.outcome === 'merged')
        observers.changed(result.anomaly.entityRef, ['anomalies']);
      return result;
    },
    async closeAnomaly(id) {
      await store.closeAnomaly(id);
      const anomaly = await store.getAnomalyRecord(id);
      if (anomaly) observers.changed(anomaly.entityRef, ['anomalies']);
    },
  });
}

/**
 * `store` with some methods replaced. A proxy rather than a copy: the stores are class
 * instances, whose methods a spread would lose, and a method added to a store later passes
 * through without being listed here.
 */
function override<T extends object>(store: T, methods: Partial<T>): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (Object.prototype.hasOwnProperty.call(methods, property))
        return methods[property as keyof T];
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
