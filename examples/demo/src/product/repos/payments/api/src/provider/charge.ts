export class ProviderError extends Error {
  name = 'ProviderError';
}

/** Sends a charge to the card payment provider. */
export function chargeCard(reference: string, providerStatus: number): void {
  if (providerStatus >= 500) {
    throw new ProviderError(
      `Payment provider answered ${providerStatus} for charge ${reference}`,
    );
  }
}
