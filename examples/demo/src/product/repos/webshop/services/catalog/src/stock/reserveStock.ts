export class StockConflictError extends Error {
  name = 'StockConflictError';
}

/** Reserves stock for a cart; two carts racing for the last item lose one reservation. */
export function reserveStock(
  sku: string,
  available: number,
  wanted: number,
): void {
  if (wanted > available) {
    throw new StockConflictError(`Stock reservation conflict for SKU ${sku}`);
  }
}
