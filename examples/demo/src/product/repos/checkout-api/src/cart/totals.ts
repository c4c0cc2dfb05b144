import { roundToCurrency } from './currency';

export interface CartLine {
  sku: string;
  quantity: number;
  /** Free gifts of a promotion have no price. */
  price?: { amount: number; currency: string };
}

/** The cart total as computed before PR #812: lines without a price count as zero. */
export function cartTotalBefore812(lines: CartLine[]): number {
  return lines.reduce(
    (sum, line) => sum + (line.price?.amount ?? 0) * line.quantity,
    0,
  );
}

/**
 * The cart total after PR #812 ("Round cart line totals with the shared currency helper"),
 * which forgot the free gifts: a line without a price throws
 * `TypeError: Cannot read properties of undefined (reading 'amount')`.
 */
export function cartTotal(lines: CartLine[]): number {
  return lines.reduce(
    (sum, line) =>
      sum +
      roundToCurrency(line.price!.amount * line.quantity, line.price!.currency),
    0,
  );
}
