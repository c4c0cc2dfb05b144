import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { Column, ResponsiveTable } from './ResponsiveTable';

interface Row {
  name: string;
  events: number;
}

const columns: Column<Row>[] = [
  { header: 'Error', render: row => row.name },
  { header: 'Events', align: 'right', render: row => String(row.events) },
  {
    header: 'Log',
    hiddenHeader: true,
    render: row => <button>Timeline of {row.name}</button>,
  },
];
const rows = [
  { name: 'TypeError', events: 26 },
  { name: 'ValidationError', events: 84 },
];

/** The browser's answer to every media query: jsdom has no layout, so no width of its own. */
function screenWidth(matches: boolean) {
  window.matchMedia = (query: string) =>
    ({
      matches,
      media: query,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
    } as unknown as MediaQueryList);
}

describe('ResponsiveTable', () => {
  it('is a table with a header per column on a wide screen', async () => {
    screenWidth(false);
    await renderInTestApp(
      <ResponsiveTable
        label="Errors"
        columns={columns}
        rows={rows}
        rowKey={row => row.name}
      />,
    );
    const table = screen.getByRole('table', { name: 'Errors' });
    expect(within(table).getAllByRole('columnheader')).toHaveLength(3);
    expect(within(table).getAllByRole('row')).toHaveLength(3);
  });

  it('is a list of entries, headers as terms, on a phone', async () => {
    screenWidth(true);
    await renderInTestApp(
      <ResponsiveTable
        label="Errors"
        columns={columns}
        rows={rows}
        rowKey={row => row.name}
        rowId={row => `error-${row.name}`}
      />,
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    const entries = within(
      screen.getByRole('list', { name: 'Errors' }),
    ).getAllByRole('listitem');
    expect(entries).toHaveLength(2);
    expect(entries[1]).toHaveAttribute('id', 'error-ValidationError');
    expect(within(entries[1]).getByRole('term')).toHaveTextContent('Events');
    expect(within(entries[1]).getByRole('definition')).toHaveTextContent('84');
    expect(
      within(entries[1]).getByRole('button', {
        name: 'Timeline of ValidationError',
      }),
    ).toBeInTheDocument();
  });
});
