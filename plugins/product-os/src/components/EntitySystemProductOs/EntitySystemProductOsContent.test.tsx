import { screen, within } from '@testing-library/react';
import { EntitySystemProductOsContent } from './EntitySystemProductOsContent';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { openDiagnosis } from '../../__testUtils__/fixtures';
import { stubElementSize } from '../../__testUtils__/layout';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import {
  shopRollup,
  shopSystem,
  timelineOf,
} from '../../__testUtils__/rollUpFixtures';

/** The shop system: checkout and gateway are its tracked components. */
function systemApi() {
  return createFakeProductOsApi({
    getRollup: jest.fn().mockResolvedValue(shopRollup),
    getTimeline: jest.fn(timelineOf),
    getDiagnoses: jest.fn(async entity => ({
      items: entity.name === 'checkout' ? [openDiagnosis] : [],
    })),
  });
}

describe('EntitySystemProductOsContent', () => {
  stubElementSize(800, 280);

  it("puts the components' case files on one timeline, a lane per component", async () => {
    const api = systemApi();
    await renderWithEntity(<EntitySystemProductOsContent />, {
      api,
      entity: shopSystem,
    });
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
    // Lanes and points are TimelineChart's (its own test); here, that the chart is of both.
    expect(
      screen.getByRole('figure', { name: /^Timeline of 2 events/ }),
    ).toBeInTheDocument();
    expect(api.getRollup).toHaveBeenCalledWith({
      kind: 'System',
      namespace: 'default',
      name: 'shop',
    });
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

  it('draws the 90-day trend from the daily snapshots', async () => {
    await renderWithEntity(<EntitySystemProductOsContent />, {
      api: systemApi(),
      entity: shopSystem,
    });
    expect(
      await screen.findByRole('img', {
        name: '90-day trend of shop: health 90 on the first of 3 days, 62.3 on the last; 1 open incidents and 1 diagnoses waiting at the end',
      }),
    ).toBeInTheDocument();
  });

  it('says so when no component is tracked', async () => {
    const api = createFakeProductOsApi({
      getRollup: jest.fn().mockResolvedValue({ ...shopRollup, members: [] }),
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
