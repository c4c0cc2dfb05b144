import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ProductOsPage } from './ProductOsPage';
import { productOsApiRef } from '../../api';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { health } from '../../__testUtils__/fixtures';

async function renderPage(api = createFakeProductOsApi()) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [productOsApiRef, api],
        [catalogApiRef, catalogApiMock()],
      ]}
    >
      <ProductOsPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

function healthRows() {
  const table = screen.getByRole('table', { name: 'Entity health' });
  return within(table).getAllByRole('row').slice(1);
}

describe('ProductOsPage', () => {
  it('ranks entities by health, least healthy first, linking to their Product OS tab', async () => {
    const api = await renderPage();
    await screen.findByRole('table', { name: 'Entity health' });
    // One request for the ranking and the filters' choices alike.
    expect(api.getHealth).toHaveBeenCalledTimes(1);

    const rows = healthRows();
    expect(
      rows.map(row => within(row).getAllByRole('cell')[1].textContent),
    ).toEqual(['Checkout', 'Storefront', 'Search']);
    const checkout = within(rows[0]);
    expect(checkout.getByRole('link', { name: 'Checkout' })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/product-os',
    );
    expect(checkout.getByText('payments')).toBeInTheDocument();
    expect(checkout.getByText('34')).toBeInTheDocument();
    expect(checkout.getByText('1,380 (+130%)')).toBeInTheDocument();
    expect(
      within(rows[1]).getByRole('link', { name: 'Storefront' }),
    ).toHaveAttribute('href', '/catalog/default/system/storefront/product-os');
    expect(within(rows[2]).getByText('40 (-23%)')).toBeInTheDocument();
  });

  it('filters by owner, narrowing both the ranking and the inbox', async () => {
    const api = await renderPage();
    await screen.findByRole('table', { name: 'Entity health' });

    await userEvent.click(screen.getByRole('button', { name: /Owner/ }));
    const options = within(await screen.findByRole('listbox'));
    expect(options.getAllByRole('option').map(o => o.textContent)).toEqual([
      'All',
      'discovery',
      'payments',
      'web',
    ]);
    api.getHealth.mockResolvedValueOnce({ items: [health[0]], tieMargin: 5 });
    await userEvent.click(options.getByRole('option', { name: 'payments' }));

    await waitFor(() =>
      expect(api.getHealth).toHaveBeenLastCalledWith({
        owner: 'group:default/payments',
      }),
    );
    expect(api.listDiagnoses).toHaveBeenLastCalledWith({
      status: 'open',
      actionability: ['needs_human', 'actionable'],
      owner: 'group:default/payments',
    });
    await waitFor(() => expect(healthRows()).toHaveLength(1));
  });

  it('lists the diagnoses that need a human, linked to their place on the entity tab', async () => {
    const api = await renderPage();
    const inbox = within(
      await screen.findByRole('list', { name: 'Diagnoses needing a human' }),
    );
    expect(
      inbox.getByRole('link', { name: /Error spike after deploy 4f2a9c1/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/product-os#product-os-diagnosis-12',
    );
    expect(inbox.getByText(/checkout · confidence 82%/)).toBeInTheDocument();
    expect(api.listDiagnoses).toHaveBeenCalledWith({
      status: 'open',
      actionability: ['needs_human', 'actionable'],
      owner: undefined,
    });
  });

  it('says so when no diagnosis waits and no entity matches', async () => {
    await renderPage(
      createFakeProductOsApi({
        getHealth: jest.fn().mockResolvedValue({ items: [], tieMargin: 5 }),
        listDiagnoses: jest.fn().mockResolvedValue({ items: [] }),
      }),
    );
    expect(await screen.findByText('Inbox empty')).toBeInTheDocument();
    expect(await screen.findByText('No entities')).toBeInTheDocument();
  });

  it('shows the error when health cannot be loaded', async () => {
    await renderPage(
      createFakeProductOsApi({
        getHealth: jest
          .fn()
          .mockRejectedValue(new Error('product-os backend unavailable')),
      }),
    );
    expect(
      (await screen.findAllByText(/product-os backend unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});
