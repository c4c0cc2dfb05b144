import type { ProductOsStores } from '../database/createProductOsStores';

/** The stores the diagnosis agent reads its signals from and writes its findings to. */
export type AgentStores = Pick<
  ProductOsStores,
  'errors' | 'metrics' | 'incidents' | 'changes' | 'anomalies' | 'diagnoses'
>;

/** Entities with errors, metric points or incidents since `since`, sorted. */
export async function listActiveEntities(
  stores: Pick<AgentStores, 'errors' | 'metrics' | 'incidents'>,
  since: number,
): Promise<string[]> {
  const lists = await Promise.all([
    stores.errors.listActiveEntities(since),
    stores.metrics.listActiveEntities(since),
    stores.incidents.listActiveEntities(since),
  ]);
  return [...new Set(lists.flat())].sort();
}
