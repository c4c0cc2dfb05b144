import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityHealth } from '@internal/plugin-product-os-common';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { HealthTable } from './HealthTable';
import { health } from '../../__testUtils__/fixtures';

function quiet(name: string, score: number): EntityHealth {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    errors: { events: 10, previousEvents: 10 },
    openIncidents: 0,
    diagnosesNeedingHuman: 0,
    score,
  };
}

async function renderTable(rows: EntityHealth[], tieMargin = 5) {
  await renderInTestApp(<HealthTable rows={rows} tieMargin={tieMargin} />, {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
  const table = screen.getByRole('table', { name: 'Entity health' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell'));
}

describe('HealthTable', () => {
  it('gives services whose scores differ only by noise one shared place, by name', async () => {
    const rows = await renderTable([
      quiet('zeta', 74),
      quiet('alpha', 76),
      quiet('mid', 75),
      health[0],
    ]);
    expect(
      rows.map(cells => [cells[0].textContent, cells[1].textContent]),
    ).toEqual([
      ['1', 'Checkout'],
      ['=2', 'alpha'],
      ['=2', 'mid'],
      ['=2', 'zeta'],
    ]);
    expect(screen.getByText(/"=" marks a shared place/)).toBeInTheDocument();
  });

  it("ranks by the backend's margin: with none, only equal scores share a place", async () => {
    const rows = await renderTable(
      [quiet('zeta', 74), quiet('alpha', 76), quiet('mid', 74)],
      0,
    );
    expect(
      rows.map(cells => [cells[0].textContent, cells[1].textContent]),
    ).toEqual([
      ['=1', 'mid'],
      ['=1', 'zeta'],
      ['3', 'alpha'],
    ]);
    expect(
      screen.getByText(/"=" marks a shared place: scores less than 0 points/),
    ).toBeInTheDocument();
  });

  it('ranks nothing as a tie when every place is its own', async () => {
    await renderTable([quiet('calm', 90), quiet('busy', 60)]);
    expect(
      screen.queryByText(/"=" marks a shared place/),
    ).not.toBeInTheDocument();
  });

  it('says what lowered a score, and shows every input on hover', async () => {
    const [checkout] = await renderTable([health[0]]);
    expect(checkout[4]).toHaveTextContent(
      '−25 open incidents (1)−12 error growth (×2.3 vs the window before)and 4 more',
    );
    await userEvent.hover(within(checkout[3]).getByText('34'));
    const tooltip = await screen.findByRole('tooltip');
    expect(tooltip).toHaveTextContent('100 − 66 = 34');
    expect(tooltip).toHaveTextContent('Error volume: 1,379 events, −8');
    expect(tooltip).toHaveTextContent('Median time to resolve: 0s, −0');
  });

  it('says nothing lowered a score of 100', async () => {
    const [healthy] = await renderTable([
      { ...quiet('calm', 100), inputs: [] },
    ]);
    expect(healthy[4]).toHaveTextContent('Nothing');
  });

  it('leaves the breakdown out when the backend sends no inputs', async () => {
    const [older] = await renderTable([quiet('legacy', 97)]);
    expect(older[4]).toHaveTextContent('—');
    await userEvent.hover(within(older[3]).getByText('97'));
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
  });
});
