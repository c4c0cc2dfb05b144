import { ProductOsApi } from '../api';
import * as fixtures from './fixtures';
import { teamRollup } from './rollUpFixtures';

/** A ProductOsApi whose every method is a jest mock resolving the checkout fixtures. */
export function createFakeProductOsApi(
  overrides: Partial<ProductOsApi> = {},
): jest.Mocked<ProductOsApi> {
  const api: jest.Mocked<ProductOsApi> = {
    getOverview: jest.fn().mockResolvedValue(fixtures.overview),
    getErrors: jest.fn().mockResolvedValue({ items: fixtures.errorGroups }),
    getErrorTrend: jest.fn().mockResolvedValue(fixtures.errorTrend),
    getChanges: jest.fn().mockResolvedValue({ items: fixtures.changes }),
    getIncidents: jest.fn().mockResolvedValue({ items: fixtures.incidents }),
    getMetrics: jest.fn().mockResolvedValue({ items: fixtures.metrics }),
    getDiagnoses: jest.fn().mockResolvedValue({ items: fixtures.diagnoses }),
    getTimeline: jest.fn().mockResolvedValue({ items: fixtures.timeline }),
    getHealth: jest
      .fn()
      .mockResolvedValue({ items: fixtures.health, tieMargin: 5 }),
    listDiagnoses: jest
      .fn()
      .mockResolvedValue({ items: [fixtures.openDiagnosis] }),
    updateDiagnosisStatus: jest.fn(async (id, update) => ({
      ...fixtures.diagnoses.find(d => d.id === id)!,
      status: update.status,
      feedback: update.reason,
    })),
    previewDiagnosisAction: jest.fn(async (_id, action) => ({
      action,
      target: 'acme/checkout',
      title: 'Error spike after deploy 4f2a9c1',
      body: 'Product OS suspects PR #512 (confidence 82%).',
      enabled: true,
      previewToken: `preview-${action}`,
    })),
    runDiagnosisAction: jest.fn().mockResolvedValue({
      url: 'https://github.com/acme/checkout/issues/913',
    }),
    getConfig: jest.fn().mockResolvedValue({ actionsEnabled: true }),
    getRollup: jest.fn().mockResolvedValue(teamRollup),
    getSyncStatus: jest.fn().mockResolvedValue(fixtures.syncStatus),
    syncNow: jest.fn().mockResolvedValue(fixtures.syncStatus),
  };
  return Object.assign(api, overrides);
}
