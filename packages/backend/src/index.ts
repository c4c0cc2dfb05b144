/*
 * The Product OS portal backend (Backstage new backend system).
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Guest sign-in for development; see https://backstage.io/docs/auth/ for real providers.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));

// The allow-all policy suits development only. In production replace it with a policy module of
// your own (https://backstage.io/docs/permissions/writing-a-policy) that decides the
// product-os.* permissions, in particular product-os.diagnosis.act.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// Product OS tells an entity's owners of its diagnoses (notifications) and its open pages of new
// data (signals); see plugins/product-os-backend/README.md.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@internal/plugin-product-os-backend'));
backend.add(import('@internal/plugin-product-os-backend-module-github'));
backend.add(import('@internal/plugin-product-os-backend-module-pagerduty'));
backend.add(import('@internal/plugin-product-os-backend-module-posthog'));
backend.add(import('@internal/plugin-product-os-backend-module-sentry'));
// Narrates diagnosis summaries only when productOs.narrator.openai is configured; otherwise a no-op.
backend.add(
  import('@internal/plugin-product-os-backend-module-openai-narrator'),
);

// Agents' tools: the actions registered by Product OS and the catalog, served over MCP.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// Scorecards with Product OS facts (health, errors, incidents, diagnoses, DORA).
backend.add(import('@backstage-community/plugin-tech-insights-backend'));
backend.add(
  import('@backstage-community/plugin-tech-insights-backend-module-jsonfc'),
);
backend.add(import('@internal/plugin-product-os-backend-module-tech-insights'));

// Example services that send demo data; a no-op unless productOs.demo.enabled is true
// (examples/demo/app-config.yaml, loaded by `npm start`).
backend.add(import('@internal/product-os-demo'));

backend.start();
