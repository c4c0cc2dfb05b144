export { productOsApiRef } from './ProductOsApi';
export type {
  ProductOsApi,
  WindowOptions,
  BucketedWindowOptions,
  HealthFilter,
  DiagnosisFilter,
  DiagnosisReviewStatus,
} from './ProductOsApi';
export { ProductOsClient } from './ProductOsClient';
