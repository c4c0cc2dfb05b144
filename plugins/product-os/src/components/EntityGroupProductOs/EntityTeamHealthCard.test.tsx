import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityTeamHealthCard } from './EntityTeamHealthCard';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { openDiagnosis } from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import { paymentsTeam, teamRollup } from '../../__testUtils__/rollUpFixtures';

function teamApi() {
  return createFakeProductOsApi({
    getRollup: jest.fn().mockResolvedValue(teamRollup),
    listDiagnoses: jest.fn().mockResolvedValue({ items: [openDiagnosis] }),
  });
}

const cells = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row =>
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    );

describe('EntityTeamHealthCard', () => {
  it("ranks the team's services as the roll-up does, a shared place marked, with what lowered each and its week's deployments and incidents", async () => {
    const api = teamApi();
    await renderWithEntity(<EntityTeamHealthCard />, {
      api,
      entity: paymentsTeam,
    });
    const table = await screen.findByRole('table', {
      name: 'Services of Payments by health',
    });
    expect(cells(table)).toEqual([
      [
        '1',
        'Checkout',
        'payments',
        '34',
        expect.stringMatching(/^−25 open incidents \(1\)−12 error growth/),
        '5',
        '2',
      ],
      [
        '=2',
        'gateway',
        'payments',
        '75',
        expect.stringMatching(/^−20 error growth/),
        '3',
        '0',
      ],
      [
        '=2',
        'ledger',
        'payments-ledger',
        '78',
        expect.stringMatching(/^−17 error growth/),
        '1',
        '0',
      ],
    ]);
    expect(
      within(table).getByRole('link', { name: 'Checkout' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout/product-os');
    expect(
      screen.getByText(/"=" marks a shared place: scores less than 5 points/),
    ).toBeInTheDocument();
    // When the figures are from: the roll-up's asOf, in the reader's zone (the tests run in UTC).
    const asOf = screen.getByText(/^Mar 12, 2:05 PM UTC \(\d+ days ago\)$/);
    expect(asOf).toHaveAttribute('datetime', '2025-03-12T14:05:00.000Z');
    expect(asOf.parentElement).toHaveTextContent(
      /^Least healthy first, over the last 7 days; figures as of Mar 12, 2:05 PM UTC/,
    );
    // One roll-up for the team and its sub-groups, one list of its open diagnoses.
    expect(api.getRollup).toHaveBeenCalledTimes(1);
    expect(api.getRollup).toHaveBeenCalledWith({
      kind: 'Group',
      namespace: 'default',
      name: 'payments',
    });
    expect(api.listDiagnoses).toHaveBeenCalledWith({
      owner: 'group:default/payments',
      status: 'open',
    });
    expect(api.getOverview).not.toHaveBeenCalled();
    expect(api.getHealth).not.toHaveBeenCalled();
  });

  it("shows the team's figures and DORA, 30 days first, 7 on demand, each with its band and the period before", async () => {
    await renderWithEntity(<EntityTeamHealthCard />, {
      api: teamApi(),
      entity: paymentsTeam,
    });
    const figure = async (name: string) =>
      within(await screen.findByRole('region', { name }));
    expect(
      (await figure('Tracked services')).getByText('3'),
    ).toBeInTheDocument();
    expect((await figure('Health')).getByText('62')).toBeInTheDocument();
    expect((await figure('Open incidents')).getByText('1')).toBeInTheDocument();
    expect(
      (await figure('Open diagnoses')).getByText('1 waiting for a person'),
    ).toBeInTheDocument();

    const dora = within(screen.getByRole('region', { name: 'DORA' }));
    expect(
      dora.getByText('DORA, last 30 days · Low overall'),
    ).toBeInTheDocument();
    expect(
      within(
        dora.getByRole('region', { name: 'Deployment frequency' }),
      ).getByText('4.2 / week'),
    ).toBeInTheDocument();
    await userEvent.click(dora.getByRole('button', { name: '7 days' }));
    const frequency = within(
      dora.getByRole('region', { name: 'Deployment frequency' }),
    );
    expect(frequency.getByText('5 / week')).toBeInTheDocument();
    expect(
      frequency.getByText('High · 4 / week the 7 days before'),
    ).toBeInTheDocument();
    expect(
      within(
        dora.getByRole('region', { name: 'Lead time for changes' }),
      ).getByText('1h 30m'),
    ).toBeInTheDocument();
    expect(
      within(
        dora.getByRole('region', { name: 'Change failure rate' }),
      ).getByText('33%'),
    ).toBeInTheDocument();
    expect(
      within(dora.getByRole('region', { name: 'Rework' })).getByText(
        /^1 of 9 deployments/,
      ),
    ).toBeInTheDocument();
  });

  it('lists the open diagnoses by what broke, each linked to its case file', async () => {
    await renderWithEntity(<EntityTeamHealthCard />, {
      api: teamApi(),
      entity: paymentsTeam,
    });
    const diagnoses = await screen.findByRole('list', {
      name: 'Open diagnoses',
    });
    const link = within(diagnoses).getByRole('link');
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
      getRollup: jest
        .fn()
        .mockResolvedValue({ ...teamRollup, members: [], score: null }),
      listDiagnoses: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWithEntity(<EntityTeamHealthCard />, {
      api,
      entity: paymentsTeam,
    });
    expect(
      await screen.findByText(
        /Neither Payments nor a group below it owns a component/,
      ),
    ).toBeInTheDocument();
  });
});
