import { screen } from '@testing-library/react';
import { EntityProductOsContent } from './EntityProductOsContent';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import {
  overviewOf,
  paymentsTeam,
  shopSystem,
  teamHealth,
  timelineOf,
} from '../../__testUtils__/rollUpFixtures';

/*
 * The one "Product OS" tab serves every kind: a group and a system get their roll-ups, which
 * need no annotation of their own, instead of "Missing annotation".
 */
describe('EntityProductOsContent on groups and systems', () => {
  const api = () =>
    createFakeProductOsApi({
      getHealth: jest.fn().mockResolvedValue({ items: teamHealth }),
      getOverview: jest.fn(overviewOf),
      getTimeline: jest.fn(timelineOf),
      getErrorTrend: jest.fn().mockResolvedValue({
        window: { from: '2025-03-10T00:00:00Z', to: '2025-03-13T00:00:00Z' },
        bucket: 'day',
        points: [],
        deploys: [],
      }),
      getIncidents: jest.fn().mockResolvedValue({ items: [] }),
    });

  it("shows a group its team's health", async () => {
    await renderWithEntity(<EntityProductOsContent />, {
      api: api(),
      entity: paymentsTeam,
    });
    expect(
      await screen.findByRole('table', {
        name: 'Services of Payments by health',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Missing annotation')).not.toBeInTheDocument();
  });

  it("shows a system its components' health and timeline", async () => {
    await renderWithEntity(<EntityProductOsContent />, {
      api: api(),
      entity: shopSystem,
    });
    expect(
      await screen.findByRole('table', {
        name: 'Components of shop by health',
      }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('list', { name: 'Timeline items' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Missing annotation')).not.toBeInTheDocument();
  });
});
