import { screen } from '@testing-library/react';
import { EntitySyncStatusCard } from './EntitySyncStatusCard';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';

// usePermission caches decisions for the life of the module, so the denied user has a file of
// their own.
describe('EntitySyncStatusCard without the sync permission', () => {
  it('shows the sync state, and says why Sync now is not available', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntitySyncStatusCard />, {
      api,
      permission: 'deny',
    });

    expect(
      await screen.findByRole('region', { name: 'Sentry' }),
    ).toHaveTextContent('42 items');
    expect(
      await screen.findByText(/needs the product-os.entity.sync permission/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sync now' })).toBeDisabled();
    expect(api.syncNow).not.toHaveBeenCalled();
  });
});
