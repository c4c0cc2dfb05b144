import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityDiagnosesCard } from './EntityDiagnosesCard';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';

// usePermission caches decisions for the life of the module, so a denied user gets a file of
// their own rather than sharing one with the allowed user of the other tests.
describe('EntityDiagnosesCard without permissions', () => {
  it('hides review and actions from people without the permissions', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityDiagnosesCard />, {
      api,
      permission: 'deny',
    });
    await userEvent.click(
      await screen.findByRole('button', {
        name: /Errors in checkout up 14×/,
      }),
    );

    expect(
      await screen.findByRole('list', { name: 'Suspects' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Acknowledge' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Open GitHub issue' }),
    ).not.toBeInTheDocument();
  });
});
