export class ValidationError extends Error {
  name = 'ValidationError';
}

export function validateOrder(order: {
  id: number;
  shippingAddress?: string;
}): void {
  if (!order.shippingAddress) {
    throw new ValidationError(`Order ${order.id} has no shipping address`);
  }
}
