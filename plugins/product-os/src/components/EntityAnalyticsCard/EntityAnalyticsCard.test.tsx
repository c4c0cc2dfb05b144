import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityAnalyticsCard } from './EntityAnalyticsCard';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { unannotatedEntity } from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';

describe('EntityAnalyticsCard', () => {
  it('shows each metric with its change against the previous window', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityAnalyticsCard />, { api });

    const completed = within(
      await screen.findByRole('region', { name: 'checkout_completed' }),
    );
    expect(completed.getByText('8,420')).toBeInTheDocument();
    // 8420 against 14033 is a 40% fall.
    expect(completed.getByText('-40% vs previous 7 days')).toBeInTheDocument();
    expect(
      completed.getByRole('img', {
        name: 'checkout_completed events over time',
      }),
    ).toBeInTheDocument();

    const failed = within(
      screen.getByRole('region', { name: 'payment_failed' }),
    );
    expect(failed.getByText('47')).toBeInTheDocument();
    // A first week is not a rise from nothing: there is no baseline to compare with.
    expect(
      failed.getByText('no baseline yet: nothing in the previous 7 days'),
    ).toBeInTheDocument();
  });

  it('asks for the metrics of the chosen window', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityAnalyticsCard />, { api });
    await screen.findByText('8,420');

    await userEvent.click(screen.getByRole('button', { name: '90d' }));

    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenLastCalledWith(
        expect.objectContaining({ name: 'checkout' }),
        { window: '90d', bucket: 'day' },
      ),
    );
    expect(
      await screen.findByText('-40% vs previous 90 days'),
    ).toBeInTheDocument();
  });

  it('says so when PostHog has no events for the key metrics', async () => {
    const api = createFakeProductOsApi({
      getMetrics: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWithEntity(<EntityAnalyticsCard />, { api });
    expect(await screen.findByText('No product events')).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    const api = createFakeProductOsApi({
      getMetrics: jest.fn().mockReturnValue(new Promise(() => {})),
    });
    await renderWithEntity(<EntityAnalyticsCard />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('asks for the PostHog annotation without it', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityAnalyticsCard />, {
      api,
      entity: unannotatedEntity,
    });
    expect(
      screen.getAllByText(/product-os\.io\/posthog-project-key/).length,
    ).toBeGreaterThan(0);
    expect(api.getMetrics).not.toHaveBeenCalled();
  });
});
