import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityIncidentHistoryCard } from './EntityIncidentHistoryCard';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import {
  checkoutEntity,
  unannotatedEntity,
} from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';

describe('EntityIncidentHistoryCard', () => {
  it('lists open and resolved incidents with their response times', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityIncidentHistoryCard />, { api });

    const table = await screen.findByRole('table', { name: 'Incidents' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);

    const open = within(rows[0]);
    expect(
      open.getByRole('link', { name: /^Checkout error rate above 5%/ }),
    ).toHaveAttribute('href', 'https://acme.pagerduty.com/incidents/Q2X7ABCD');
    expect(open.getByText('High')).toBeInTheDocument();
    expect(open.getByText('Acknowledged')).toBeInTheDocument();
    expect(open.getByText(/\(ongoing\)/)).toBeInTheDocument();
    expect(open.getByText('4m')).toBeInTheDocument();

    const resolved = within(rows[1]);
    expect(resolved.getByText('Resolved')).toBeInTheDocument();
    expect(resolved.getByText('Low')).toBeInTheDocument();
    expect(resolved.getByText('12m')).toBeInTheDocument();
    expect(resolved.getAllByText('2h 45m')).toHaveLength(2);
  });

  it('opens the timeline of an incident in a drawer', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityIncidentHistoryCard />, { api });

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Timeline of Payment gateway latency p99 above 3s',
      }),
    );

    const drawer = within(
      await screen.findByRole('region', {
        name: 'Timeline of Payment gateway latency p99 above 3s',
      }),
    );
    const entries = drawer.getAllByRole('listitem');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toHaveTextContent('Triggered through the API');
    expect(entries[1]).toHaveTextContent('Resolved by Tom Okafor');

    await userEvent.click(
      drawer.getByRole('button', { name: 'Close timeline' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('region', {
          name: 'Timeline of Payment gateway latency p99 above 3s',
        }),
      ).not.toBeInTheDocument(),
    );
  });

  it('says so when there were no incidents', async () => {
    const api = createFakeProductOsApi({
      getIncidents: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWithEntity(<EntityIncidentHistoryCard />, { api });
    expect(await screen.findByText('No incidents')).toBeInTheDocument();
    // The same default window as every other card of the tab.
    expect(api.getIncidents).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'checkout' }),
      { window: '7d' },
    );
  });

  it('accepts a PagerDuty integration key instead of a service id', async () => {
    const entity: Entity = {
      ...checkoutEntity,
      metadata: {
        name: 'checkout',
        annotations: { 'pagerduty.com/integration-key': 'R0UT1NGK3Y' },
      },
    };
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityIncidentHistoryCard />, { api, entity });
    expect(
      await screen.findByRole('table', { name: 'Incidents' }),
    ).toBeInTheDocument();
  });

  it('asks for a PagerDuty annotation without one', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityIncidentHistoryCard />, {
      api,
      entity: unannotatedEntity,
    });
    expect(
      screen.getAllByText(/pagerduty\.com\/service-id/).length,
    ).toBeGreaterThan(0);
    expect(api.getIncidents).not.toHaveBeenCalled();
  });
});
