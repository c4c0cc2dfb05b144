import { screen } from '@testing-library/react';
import { EntityProductOsContent } from './EntityProductOsContent';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import {
  paymentsTeam,
  shopRollup,
  shopSystem,
  teamRollup,
  timelineOf,
} from '../../__testUtils__/rollUpFixtures';

/*
 * The one "Product OS" tab serves every kind: a group and a system get their roll-ups, which
 * need no annotation of their own, instead of "Missing annotation".
 */
describe('EntityProductOsContent on groups and systems', () => {
  const api = () =>
    createFakeProductOsApi({
      getRollup: jest.fn(async subject =>
        subject.kind === 'System' ? shopRollup : teamRollup,
      ),
      getTimeline: jest.fn(timelineOf),
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
