import { fireEvent, screen, within } from '@testing-library/react';
import { EntitySystemProductOsContent } from './EntitySystemProductOsContent';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { openDiagnosis } from '../../__testUtils__/fixtures';
import { stubElementSize } from '../../__testUtils__/layout';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import {
  overviewOf,
  shopSystem,
  teamHealth,
  timelineOf,
} from '../../__testUtils__/rollUpFixtures';

/** The shop system: checkout and gateway are its tracked components. */
function systemApi() {
  const components = teamHealth.filter(
    row => !row.entityRef.endsWith('ledger'),
  );
  return createFakeProductOsApi({
    getHealth: jest.fn().mockResolvedValue({ items: components }),
    getOverview: jest.fn(overviewOf),
    getTimeline: jest.fn(timelineOf),
    getDiagnoses: jest.fn(async entity => ({
      items: entity.name === 'checkout' ? [openDiagnosis] : [],
    })),
    getErrorTrend: jest.fn(async () => ({
      window: { from: '2025-03-10T00:00:00Z', to: '2025-03-13T00:00:00Z' },
      bucket: 'day' as const,
      points: [
        { time: '2025-03-10T00:00:00.000Z', value: 5 },
        { time: '2025-03-12T00:00:00.000Z', value: 7 },
      ],
      deploys: [],
    })),
    getIncidents: jest.fn().mockResolvedValue({ items: [] }),
  });
}

describe('EntitySystemProductOsContent', () => {
  stubElementSize(800, 280);

  it("puts the components' case files on one timeline, a lane per component", async () => {
    const api = systemApi();
    const { container } = await renderWithEntity(
      <EntitySystemProductOsContent />,
      { api, entity: shopSystem },
    );
    const list = await screen.findByRole('list', { name: 'Timeline items' });
    const items = within(list).getAllByRole('listitem');
    // Oldest first: checkout's deploy, then gateway's diagnosis 20 minutes later.
    expect(items.map(item => item.textContent)).toEqual([
      expect.stringMatching(/^DeployDeploy 4f2a9c1 to productioncheckout · /),
      expect.stringMatching(/^Diagnosis.*gateway · /),
    ]);
    // An item with a page of its own opens it; the diagnosis leads to its row on gateway's tab.
    expect(within(items[0]).getByRole('link')).toHaveAttribute(
      'href',
      'https://github.com/acme/checkout/deployments/1839201',
    );
    expect(within(items[1]).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/component/gateway/product-os#product-os-diagnosis-12',
    );
    const lanes = container.querySelector('.recharts-yAxis');
    expect(lanes).toHaveTextContent('checkout');
    expect(lanes).toHaveTextContent('gateway');
    expect(lanes).not.toHaveTextContent('Incidents');
    const points = container.querySelectorAll('.recharts-scatter-symbol');
    expect(points).toHaveLength(2);
    expect(points[1].getAttribute('aria-label')).toMatch(
      /^Diagnosis \(gateway\): /,
    );
    expect(api.getHealth).toHaveBeenCalledWith(
      { system: 'system:default/shop' },
      { window: '7d' },
    );
    expect(api.getTimeline).toHaveBeenCalledTimes(2);
  });

  it('ranks the components and lists their open diagnoses', async () => {
    await renderWithEntity(<EntitySystemProductOsContent />, {
      api: systemApi(),
      entity: shopSystem,
    });
    const table = await screen.findByRole('table', {
      name: 'Components of shop by health',
    });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(row => within(row).getAllByRole('cell')[1].textContent),
    ).toEqual(['Checkout', 'gateway']);
    const diagnoses = screen.getByRole('list', { name: 'Open diagnoses' });
    expect(within(diagnoses).getAllByRole('listitem')).toHaveLength(1);
  });

  it('draws the 90-day trend of errors, deploys and incidents added up per day', async () => {
    const api = systemApi();
    await renderWithEntity(<EntitySystemProductOsContent />, {
      api,
      entity: shopSystem,
    });
    // Two components of 5 + 7 errors each, over three days (the empty one a zero).
    expect(
      await screen.findByRole('img', {
        name: '90-day trend of shop: 24 errors, 0 deploys and 0 incidents over 3 days',
      }),
    ).toBeInTheDocument();
    expect(api.getErrorTrend).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'gateway' }),
      { window: '90d', bucket: 'day' },
    );
  });

  it("opens a clicked point's page at its source", async () => {
    const { container } = await renderWithEntity(
      <EntitySystemProductOsContent />,
      { api: systemApi(), entity: shopSystem },
    );
    await screen.findByRole('list', { name: 'Timeline items' });
    const open = jest.spyOn(window, 'open').mockImplementation(() => null);
    fireEvent.click(container.querySelectorAll('.recharts-scatter-symbol')[0]);
    expect(open).toHaveBeenCalledWith(
      'https://github.com/acme/checkout/deployments/1839201',
      '_blank',
      'noopener',
    );
    open.mockRestore();
  });

  it('says so when no component is tracked', async () => {
    const api = createFakeProductOsApi({
      getHealth: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWithEntity(<EntitySystemProductOsContent />, {
      api,
      entity: shopSystem,
    });
    expect(
      await screen.findByText(
        /No component of shop has a Product OS annotation/,
      ),
    ).toBeInTheDocument();
    expect(api.getTimeline).not.toHaveBeenCalled();
  });
});
