import type { Diagnosis } from '@internal/plugin-product-os-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { openDiagnosis } from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import { EntityDiagnosesCard } from './EntityDiagnosesCard';

const verified: Diagnosis = {
  ...openDiagnosis,
  status: 'resolved',
  outcome: {
    outcome: 'verified',
    basis: 'rolled_back_and_stopped',
    description:
      'The suspect was rolled back at 11:25 UTC, and its errors were back to their usual level from 12:00 UTC.',
    decidedAt: '2026-11-20T14:30:00.000Z',
    suspectChangeId: openDiagnosis.suspects[0].change.id,
    fix: {
      changeId: 9001,
      entityRef: openDiagnosis.entityRef,
      at: '2026-11-20T11:25:00.000Z',
      title: 'Deploy 1a2b3c4 to production',
      url: 'https://github.com/acme/checkout/deployments/9001',
    },
    stoppedAt: '2026-11-20T12:00:00.000Z',
  },
};

const rejected: Diagnosis = {
  ...openDiagnosis,
  id: 77,
  status: 'rejected',
  outcome: {
    outcome: 'refuted',
    basis: 'rejected',
    description: 'Rejected by a reviewer at 10:40 UTC, with the reason below.',
    decidedAt: '2026-11-20T10:45:00.000Z',
    reason: 'The deploy only changed the README',
    decidedBy: 'user:default/dana',
  },
};

describe('the outcome in the case file', () => {
  it('shows a verified outcome in the headline and, expanded, the rollback that undid the suspect', async () => {
    const api = createFakeProductOsApi({
      getDiagnoses: jest.fn().mockResolvedValue({ items: [verified] }),
    });
    await renderWithEntity(<EntityDiagnosesCard />, { api });
    const heading = await screen.findByRole('button', {
      name: /Outcome: Verified/,
    });
    await userEvent.click(heading);
    const section = within(
      await screen.findByRole('region', { name: 'Outcome' }),
    );
    expect(
      section.getByText(/The suspect was rolled back at 11:25 UTC/),
    ).toBeInTheDocument();
    expect(
      section.getByRole('link', { name: /Deploy 1a2b3c4 to production/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/checkout/deployments/9001',
    );
  });

  it("shows a rejection's reason and who gave it", async () => {
    const api = createFakeProductOsApi({
      getDiagnoses: jest.fn().mockResolvedValue({ items: [rejected] }),
    });
    await renderWithEntity(<EntityDiagnosesCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: /Outcome: Refuted/ }),
    );
    const section = within(
      await screen.findByRole('region', { name: 'Outcome' }),
    );
    expect(
      section.getByText(
        'Reason given by user:default/dana: The deploy only changed the README',
      ),
    ).toBeInTheDocument();
    expect(section.queryByRole('link')).not.toBeInTheDocument();
  });

  it('shows no outcome while the agent cannot tell yet', async () => {
    await renderWithEntity(<EntityDiagnosesCard />, {
      api: createFakeProductOsApi(),
    });
    await screen.findAllByRole('button', { name: /Likely cause/ });
    expect(screen.queryByText(/Outcome:/)).not.toBeInTheDocument();
  });
});
