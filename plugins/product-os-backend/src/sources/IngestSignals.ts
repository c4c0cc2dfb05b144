import type {
  IngestNotifier,
  IngestSignalReason,
} from '@internal/plugin-product-os-node';

/** A signal that something worth an immediate look arrived for an entity. */
export interface IngestSignal {
  entityRef: string;
  reason: IngestSignalReason;
}

/**
 * Carries signals from ingestion to whoever listens (the diagnosis agent), inside this backend
 * instance. A listener that throws does not fail the ingestion that notified it.
 */
export class IngestSignals implements IngestNotifier {
  private readonly listeners = new Set<(signal: IngestSignal) => void>();

  notify(entityRef: string, reason: IngestSignalReason): void {
    for (const listener of this.listeners) {
      try {
        listener({ entityRef, reason });
      } catch {
        // Ingestion has stored its data; a failing listener must not turn that into an error.
      }
    }
  }

  subscribe(listener: (signal: IngestSignal) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
