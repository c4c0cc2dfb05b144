import { EntityHealth } from '@internal/plugin-product-os-common';
import { formatRank, rankByHealth } from './healthRank';

function row(
  name: string,
  score: number,
  extra: Partial<EntityHealth> = {},
): EntityHealth {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    errors: { events: 0, previousEvents: 0 },
    openIncidents: 0,
    diagnosesNeedingHuman: 0,
    score,
    ...extra,
  };
}

const places = (rows: EntityHealth[]) =>
  rankByHealth(rows).map(r => `${formatRank(r)} ${r.row.entityRef.slice(18)}`);

describe('rankByHealth', () => {
  it('ties services whose scores differ by less than the noise, in name order', () => {
    expect(
      places([
        row('search', 76),
        row('catalog', 74),
        row('ledger', 75),
        row('payments', 40, { openIncidents: 1 }),
      ]),
    ).toEqual(['1 payments', '=2 catalog', '=2 ledger', '=2 search']);
  });

  it('measures a tie from its first row, so close scores do not chain', () => {
    expect(
      places([row('a', 74), row('b', 76), row('c', 78), row('d', 80)]),
    ).toEqual(['=1 a', '=1 b', '=1 c', '4 d']);
  });

  it('never ties a service with an open incident or a diagnosis waiting with one without', () => {
    expect(
      places([
        row('quiet', 75),
        row('paged', 73, { openIncidents: 1 }),
        row('waiting', 74, { diagnosesNeedingHuman: 1 }),
      ]),
    ).toEqual(['1 paged', '2 waiting', '3 quiet']);
  });

  it('ranks nothing when there is nothing', () => {
    expect(rankByHealth([])).toEqual([]);
  });
});
