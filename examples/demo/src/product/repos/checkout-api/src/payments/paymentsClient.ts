export class PaymentsTimeoutError extends Error {
  name = 'PaymentsTimeoutError';
}

/** Charges an order through payments-api; a slow answer is given up on after 3 s. */
export function chargeOrder(orderId: number, answeredAfterMs: number): void {
  if (answeredAfterMs > 3000) {
    throw new PaymentsTimeoutError(
      `payments-api did not answer for order ${orderId} within 3000 ms`,
    );
  }
}
