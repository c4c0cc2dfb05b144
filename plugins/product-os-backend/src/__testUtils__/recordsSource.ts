import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  type ChangeEventInput,
  type ErrorEventInput,
  type IncidentInput,
  type ProductOsSource,
  productOsSourcesExtensionPoint,
} from '@internal/plugin-product-os-node';
import express from 'express';
import Router from 'express-promise-router';

/** What one delivery to the records source holds: records already mapped to entities. */
export interface RecordsDelivery {
  deliveryId: string;
  errors?: ErrorEventInput[];
  changes?: ChangeEventInput[];
  incidents?: IncidentInput[];
}

const recordsSource: ProductOsSource = {
  id: 'records',
  createRouter({ store }) {
    const router = Router();
    router.use(express.json({ limit: '1mb' }));
    router.post('/deliveries', async (req, res) => {
      const delivery = req.body as RecordsDelivery;
      const { duplicate } = await store.ingest(
        { source: 'sentry', deliveryId: delivery.deliveryId },
        async writer => {
          if (delivery.changes?.length)
            await writer.upsertChangeEvents(delivery.changes);
          if (delivery.errors?.length)
            await writer.recordErrorEvents(delivery.errors);
          for (const incident of delivery.incidents ?? [])
            await writer.upsertIncident(incident);
        },
      );
      res.status(202).json({ duplicate });
    });
    return router;
  },
};

/**
 * A source module of the simplest kind, for tests of what happens after ingestion: its route
 * (`POST /api/product-os/records/deliveries`) takes records already mapped to entities and writes
 * them through the host's ingest tail, the one every vendor module writes through (the commit,
 * the agent's wake-up signals, the pages' live updates). Vendor parsing is the modules' own
 * tests' business.
 */
export const recordsSourceModule = createBackendModule({
  pluginId: 'product-os',
  moduleId: 'test-records',
  register(env) {
    env.registerInit({
      deps: { extension: productOsSourcesExtensionPoint },
      async init({ extension }) {
        extension.addSource(recordsSource);
      },
    });
  },
});
