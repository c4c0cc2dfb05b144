/** Rounds an amount to the smallest unit of its currency (yen have none). */
export function roundToCurrency(amount: number, currency: string): number {
  const digits = currency === 'JPY' ? 0 : 2;
  const factor = 10 ** digits;
  return Math.round(amount * factor) / factor;
}
