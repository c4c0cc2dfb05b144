import { screen, within } from '@testing-library/react';
import { EntityTeamHealthCard } from './EntityTeamHealthCard';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { openDiagnosis } from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import {
  overviewOf,
  paymentsTeam,
  teamHealth,
} from '../../__testUtils__/rollUpFixtures';

function teamApi() {
  return createFakeProductOsApi({
    getHealth: jest.fn().mockResolvedValue({ items: teamHealth }),
    getOverview: jest.fn(overviewOf),
    listDiagnoses: jest.fn().mockResolvedValue({ items: [openDiagnosis] }),
  });
}

describe('EntityTeamHealthCard', () => {
  it("ranks the team's services least healthy first, with a tie where the difference is noise", async () => {
    const api = teamApi();
    await renderWithEntity(<EntityTeamHealthCard />, {
      api,
      entity: paymentsTeam,
    });
    const table = await screen.findByRole('table', {
      name: 'Services of Payments by health',
    });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(row =>
        within(row)
          .getAllByRole('cell')
          .map(cell => cell.textContent),
      );
    // gateway (75) and ledger (78) are 3 points apart: a tie, in name order.
    expect(rows).toEqual([
      ['1', 'Checkout', '34', '1,380 (+130%)', '1', '2', '4', '1'],
      ['=2', 'gateway', '75', '100 (+11%)', '0', '0', '3', '0'],
      ['=2', 'ledger', '78', '100 (+11%)', '0', '1', '2', '0'],
    ]);
    expect(
      within(table).getByRole('link', { name: 'Checkout' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout/product-os');
    expect(screen.getByText(/"=" marks a tie/)).toBeInTheDocument();
    // One request for the team and its sub-groups, one for its diagnoses, one per service.
    expect(api.getHealth).toHaveBeenCalledWith(
      { owner: 'group:default/payments' },
      { window: '7d' },
    );
    expect(api.listDiagnoses).toHaveBeenCalledWith({
      owner: 'group:default/payments',
      status: 'open',
    });
    expect(api.getOverview).toHaveBeenCalledTimes(3);
  });

  it("adds up the team's incidents, deploys and open diagnoses, and lists the diagnoses", async () => {
    await renderWithEntity(<EntityTeamHealthCard />, {
      api: teamApi(),
      entity: paymentsTeam,
    });
    const figure = async (name: string) =>
      within(await screen.findByRole('region', { name })).getByText(/^\d+$/)
        .textContent;
    expect(await figure('Tracked services')).toBe('3');
    expect(await figure('Open incidents')).toBe('1');
    expect(screen.getByText('3 in the last 7 days')).toBeInTheDocument();
    expect(await figure('Deploys')).toBe('9');
    expect(await figure('Open diagnoses')).toBe('1');

    const diagnoses = screen.getByRole('list', { name: 'Open diagnoses' });
    const link = within(diagnoses).getByRole('link');
    // What broke, not the agent's long sentence, linked to the diagnosis on its service's tab.
    expect(link).toHaveTextContent(/^Errors in checkout up 14×/);
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/product-os#product-os-diagnosis-12',
    );
    expect(
      within(diagnoses).getByText(/PR #512 by mhernandez/),
    ).toBeInTheDocument();
  });

  it('says so when the team owns nothing Product OS tracks', async () => {
    const api = createFakeProductOsApi({
      getHealth: jest.fn().mockResolvedValue({ items: [] }),
      listDiagnoses: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWithEntity(<EntityTeamHealthCard />, {
      api,
      entity: paymentsTeam,
    });
    expect(
      await screen.findByText(
        /Neither Payments nor a group below it owns a component or system/,
      ),
    ).toBeInTheDocument();
    expect(api.getOverview).not.toHaveBeenCalled();
  });
});
