import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { RollUpSections } from './RollUpSections';
import { productOsApiRef } from '../../api';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { stubElementSize } from '../../__testUtils__/layout';
import { teamHealth } from '../../__testUtils__/rollUpFixtures';

const groups: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', title: 'Payments' },
    spec: { type: 'team', children: ['payments-ledger'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments-ledger' },
    spec: { type: 'team', parent: 'payments', children: [] },
  },
];

async function renderSections(api = createFakeProductOsApi()) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [productOsApiRef, api],
        [catalogApiRef, catalogApiMock({ entities: groups })],
      ]}
    >
      <RollUpSections rows={teamHealth} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

describe('RollUpSections', () => {
  stubElementSize(800, 260);

  it('adds a sub-team up into its parent, which comes first', async () => {
    const api = await renderSections();
    const sections = await screen.findAllByRole('button', { expanded: false });
    expect(sections.map(s => s.textContent)).toEqual([
      expect.stringMatching(
        /^Payments3 services · lowest health 34 · 1 open incident · 1 diagnosis waiting for a person · 1,580 errors \(\+103%\)$/,
      ),
      expect.stringMatching(
        /^Payments › payments-ledger1 service · lowest health 78 · 0 open incidents/,
      ),
    ]);
    // No roll-up is asked for until a section is opened.
    expect(api.getRollup).not.toHaveBeenCalled();
  });

  it("opens a section on the team's roll-up: its ranking, its tab and the 90-day trend", async () => {
    const api = await renderSections();
    const [payments] = await screen.findAllByRole('button', {
      expanded: false,
    });
    await userEvent.click(payments);
    const ranking = await screen.findByRole('table', {
      name: 'Ranking of Payments',
    });
    expect(
      within(ranking)
        .getAllByRole('row')
        .slice(1)
        .map(row => within(row).getAllByRole('cell')[0].textContent),
    ).toEqual(['1', '=2', '=2']);
    expect(
      screen.getByRole('link', { name: "The team's Product OS tab" }),
    ).toHaveAttribute('href', '/catalog/default/group/payments/product-os');
    expect(
      await screen.findByRole('img', { name: /^90-day trend of Payments: / }),
    ).toBeInTheDocument();
    expect(api.getRollup).toHaveBeenCalledTimes(1);
    expect(api.getRollup).toHaveBeenCalledWith({
      kind: 'group',
      namespace: 'default',
      name: 'payments',
    });
  });

  it('groups by system on demand', async () => {
    await renderSections();
    await screen.findAllByRole('button', { expanded: false });
    await userEvent.click(screen.getByRole('button', { name: 'Systems' }));
    const sections = screen.getAllByRole('button', { expanded: false });
    expect(sections.map(s => s.textContent)).toEqual([
      expect.stringMatching(/^shop3 services · /),
    ]);
  });
});
