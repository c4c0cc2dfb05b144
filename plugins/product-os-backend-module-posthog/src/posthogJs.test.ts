import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The test runs the module against the real Product OS plugin and store.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import productOsPlugin from '@internal/plugin-product-os-backend';
import type { MetricSeries } from '@internal/plugin-product-os-common';
import { execFile } from 'child_process';
import { resolve } from 'path';
import request from 'supertest';
import { promisify } from 'util';
import postHogModule from './index';

jest.setTimeout(60_000);

const PROJECT_KEY = 'phc_WebShopBrowserProjectKey000000000000000000';

interface PageReport {
  sent: {
    method: string;
    path: string;
    status: number;
    contentType?: string;
    firstBytes?: string;
    /** A script the SDK added to the page, fetched by the page (jsdom) itself. */
    script?: boolean;
  }[];
  logged: string[];
  remoteConfig: { config: Record<string, unknown>; siteApps: unknown[] };
  compression?: string;
}

describe('the real posthog-js on a web page', () => {
  it('gets its gzip batches stored, its config and flags answered, and logs no error', async () => {
    const backend = await startTestBackend({
      features: [
        productOsPlugin,
        postHogModule,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'web-shop',
                namespace: 'default',
                annotations: {
                  'product-os.io/posthog-project-key': PROJECT_KEY,
                },
              },
              spec: { type: 'website', lifecycle: 'production', owner: 'web' },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: { productOs: { agent: { enabled: false } } },
        }),
      ],
    });
    try {
      const host = `http://127.0.0.1:${backend.server.port()}/api/product-os/posthog`;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          resolve(__dirname, '__testUtils__/posthogJsPage.js'),
          host,
          PROJECT_KEY,
        ],
        { timeout: 45_000 },
      );
      const page: PageReport = JSON.parse(stdout);

      const captures = page.sent.filter(
        s => s.method === 'POST' && s.path.startsWith('/e/'),
      );
      expect(captures.length).toBeGreaterThan(0);
      for (const capture of captures) {
        // gzip (1f 8b) as text/plain, without ?compression=gzip-js: what was refused before.
        expect(capture).toMatchObject({
          status: 200,
          contentType: 'text/plain',
          firstBytes: '1f8b',
        });
        expect(capture.path).not.toContain('compression=');
      }
      expect(page.sent.filter(s => s.path.startsWith('/flags'))).toEqual([
        expect.objectContaining({ method: 'POST', status: 200 }),
      ]);
      expect(page.sent.filter(s => !s.script && s.status !== 200)).toEqual([]);
      // The remote config script ran, and the SDK took from it that gzip is accepted.
      expect(page.sent).toContainEqual(
        expect.objectContaining({
          path: `/array/${PROJECT_KEY}/config.js`,
          script: true,
        }),
      );
      expect(page.remoteConfig).toEqual({
        config: expect.objectContaining({
          token: PROJECT_KEY,
          hasFeatureFlags: false,
          supportedCompression: ['gzip', 'gzip-js'],
        }),
        siteApps: [],
      });
      expect(page.compression).toBe('gzip-js');
      // With debug on, the SDK logs every request, script and config it could not use as an
      // error (jsdom reports a script it could not load). Its debug warnings are notes, such as
      // that surveys are not loaded.
      expect(page.logged.filter(line => !line.startsWith('warn: '))).toEqual(
        [],
      );

      const res = await request(backend.server)
        .get(
          '/api/product-os/entities/component/default/web-shop/metrics?window=24h',
        )
        .expect(200);
      const series = Object.fromEntries(
        res.body.items.map((s: MetricSeries) => [s.key, s]),
      );
      expect(series.checkout_completed.total).toBe(2);
    } finally {
      await backend.stop();
    }
  });
});
