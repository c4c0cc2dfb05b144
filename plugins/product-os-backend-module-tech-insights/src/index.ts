/**
 * Tech Insights module with a fact retriever of Product OS figures per entity.
 *
 * @packageDocumentation
 */
export { techInsightsModuleProductOs as default } from './module';
export {
  createProductOsFactRetriever,
  PRODUCT_OS_FACT_RETRIEVER_ID,
  toTechInsightFacts,
} from './productOsFactRetriever';
