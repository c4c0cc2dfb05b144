import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { EntitySyncStatusCard } from './EntitySyncStatusCard';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { syncStatus } from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';

describe('EntitySyncStatusCard', () => {
  it('shows per source when it was last pulled, what it brought, why it failed, or how to connect it', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntitySyncStatusCard />, { api });

    const sentry = await screen.findByRole('region', { name: 'Sentry' });
    expect(sentry).toHaveTextContent(/Issues of acme\/checkout: last pulled/);
    expect(sentry).toHaveTextContent('42 items');
    expect(within(sentry).queryByRole('alert')).not.toBeInTheDocument();

    const pagerDuty = screen.getByRole('region', { name: 'PagerDuty' });
    expect(pagerDuty).toHaveTextContent('7 items');
    expect(within(pagerDuty).getByRole('alert')).toHaveTextContent(
      'failed: PagerDuty GET /incidents failed: 401 Unauthorized (the API key is not valid)',
    );

    expect(screen.getByRole('region', { name: 'PostHog' })).toHaveTextContent(
      'Not connected. How to connect: Set productOs.sources.posthog.pull.personalApiKey',
    );
    expect(api.getSyncStatus).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'checkout',
    });
  });

  it('syncs now and shows the state the pull left', async () => {
    const api = createFakeProductOsApi({
      syncNow: jest.fn().mockResolvedValue({
        ...syncStatus,
        sources: [
          {
            source: 'pagerduty',
            configured: true,
            pulls: [
              {
                pullId: 'incidents',
                scope: 'PCHK123',
                lastSuccessAt: '2026-12-02T09:01:00Z',
                items: 9,
              },
            ],
          },
        ],
      }),
    });
    await renderWithEntity(<EntitySyncStatusCard />, { api });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Sync now' }),
    );

    await waitFor(() =>
      expect(
        screen.getByRole('region', { name: 'PagerDuty' }),
      ).toHaveTextContent('9 items'),
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(api.syncNow).toHaveBeenCalledTimes(1);
  });

  it('says why a sync now failed and keeps what it showed', async () => {
    const api = createFakeProductOsApi({
      syncNow: jest.fn().mockRejectedValue(
        await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: {
                name: 'ConflictError',
                message: 'A sync of this entity is already running',
              },
            }),
            {
              status: 409,
              statusText: 'Conflict',
              headers: { 'content-type': 'application/json' },
            },
          ) as any,
        ),
      ),
    });
    await renderWithEntity(<EntitySyncStatusCard />, { api });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Sync now' }),
    );

    expect(
      await screen.findByText(/Sync now failed: .*already running/),
    ).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Sentry' })).toHaveTextContent(
      '42 items',
    );
  });

  it('shows how to connect, without a sync button, when no source pulls yet', async () => {
    const api = createFakeProductOsApi({
      getSyncStatus: jest.fn().mockResolvedValue({
        entityRef: 'component:default/checkout',
        sources: [syncStatus.sources[0]],
      }),
    });
    await renderWithEntity(<EntitySyncStatusCard />, { api });

    expect(
      await screen.findByRole('region', { name: 'PostHog' }),
    ).toHaveTextContent('How to connect');
    expect(
      screen.queryByRole('button', { name: 'Sync now' }),
    ).not.toBeInTheDocument();
  });

  it('renders nothing for an entity no pulling source serves', async () => {
    const api = createFakeProductOsApi({
      getSyncStatus: jest.fn().mockResolvedValue({
        entityRef: 'component:default/checkout',
        sources: [],
      }),
    });
    await renderWithEntity(<EntitySyncStatusCard />, { api });

    await waitFor(() => expect(api.getSyncStatus).toHaveBeenCalled());
    expect(screen.queryByText('Data sync')).not.toBeInTheDocument();
  });
});
