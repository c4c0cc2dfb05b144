import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { EntityErrorTrendsCard } from './EntityErrorTrendsCard';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { unannotatedEntity } from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';

describe('EntityErrorTrendsCard', () => {
  it('shows the error volume, the deploy markers and the top groups', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityErrorTrendsCard />, { api });

    expect(await screen.findByText('1,380 events')).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'Error events per hour over the last 7 days, 1 deploy marked',
      }),
    ).toBeInTheDocument();

    const table = screen.getByRole('table', { name: 'Top error groups' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);

    const first = within(rows[0]);
    expect(
      first.getByRole('link', { name: /Cannot read properties of undefined/ }),
    ).toHaveAttribute('href', 'https://acme.sentry.io/issues/41/');
    expect(first.getByText('1,284')).toBeInTheDocument();
    expect(first.getByText('New')).toBeInTheDocument();
    expect(first.queryByText('Regressed')).not.toBeInTheDocument();
    expect(first.getByText('checkout@2.14.1')).toBeInTheDocument();
    expect(
      first.getByRole('img', { name: /peak 538, latest 538/ }),
    ).toBeInTheDocument();

    const second = within(rows[1]);
    expect(second.getByText('Regressed')).toBeInTheDocument();
    expect(second.getByText('96')).toBeInTheDocument();

    expect(api.getErrorTrend).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'checkout' },
      { window: '7d', bucket: 'hour' },
    );
  });

  it('reloads with daily buckets when a longer window is chosen', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityErrorTrendsCard />, { api });
    await screen.findByText('1,380 events');

    await userEvent.click(screen.getByRole('button', { name: '30d' }));

    await waitFor(() =>
      expect(api.getErrorTrend).toHaveBeenLastCalledWith(
        expect.objectContaining({ name: 'checkout' }),
        { window: '30d', bucket: 'day' },
      ),
    );
    expect(api.getErrors).toHaveBeenLastCalledWith(
      expect.objectContaining({ name: 'checkout' }),
      { window: '30d', limit: 10 },
    );
    expect(await screen.findByText('Sentry, last 30 days')).toBeInTheDocument();
  });

  it('says so when Sentry reported nothing', async () => {
    const api = createFakeProductOsApi({
      getErrors: jest.fn().mockResolvedValue({ items: [] }),
      getErrorTrend: jest.fn().mockResolvedValue({
        window: { from: '2025-03-05T12:00:00Z', to: '2025-03-12T12:00:00Z' },
        bucket: 'hour',
        points: [{ time: '2025-03-12T10:00:00Z', value: 0 }],
        deploys: [],
      }),
    });
    await renderWithEntity(<EntityErrorTrendsCard />, { api });

    expect(await screen.findByText('No errors')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Sentry reported no errors for this entity in the last 7 days.',
      ),
    ).toBeInTheDocument();
  });

  it('shows the error the backend returned', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotFoundError',
          message: 'No Sentry project acme/checkout',
        },
        request: { method: 'GET', url: '/errors/trend' },
        response: { statusCode: 404 },
      }),
      { status: 404, headers: { 'Content-Type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response);
    const api = createFakeProductOsApi({
      getErrorTrend: jest.fn().mockRejectedValue(error),
    });
    await renderWithEntity(<EntityErrorTrendsCard />, { api });

    expect(
      await screen.findByText('No Sentry project acme/checkout'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Request failed with 404/)).toBeInTheDocument();
  });

  it('asks for the Sentry annotation and loads nothing without it', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityErrorTrendsCard />, {
      api,
      entity: unannotatedEntity,
    });

    expect(
      screen.getAllByText(/sentry\.io\/project-slug/).length,
    ).toBeGreaterThan(0);
    expect(api.getErrorTrend).not.toHaveBeenCalled();
  });
});
