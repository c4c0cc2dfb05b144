import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityProductOsTimeline } from './EntityProductOsTimeline';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { unannotatedEntity } from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';

describe('EntityProductOsTimeline', () => {
  it('puts every kind of event on one axis, oldest first, each linked to its detail', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityProductOsTimeline />, { api });

    expect(
      await screen.findByRole('figure', {
        name: 'Timeline of 7 events over the last 7 days',
      }),
    ).toBeInTheDocument();

    const items = within(
      screen.getByRole('list', { name: 'Timeline items' }),
    ).getAllByRole('listitem');
    expect(
      items.map(item => item.querySelector('.MuiChip-label')?.textContent),
    ).toEqual([
      'Release',
      'PR',
      'Deploy',
      'Error',
      'Anomaly',
      'Incident',
      'Diagnosis',
    ]);

    expect(
      within(items[2]).getByRole('link', {
        name: 'Deploy 4f2a9c1 to production',
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/checkout/deployments/1839201',
    );
    // A diagnosis has no page of its own: it links to its row in the diagnoses card.
    expect(within(items[6]).getByRole('link')).toHaveAttribute(
      'href',
      '#product-os-diagnosis-12',
    );
    // Anomalies are listed by no card, so there is nothing to link to.
    expect(within(items[4]).queryByRole('link')).not.toBeInTheDocument();
    expect(items[4]).toHaveTextContent('Error spike (14x)');
  });

  it('loads the chosen window', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityProductOsTimeline />, { api });
    await screen.findByRole('list', { name: 'Timeline items' });

    await userEvent.click(screen.getByRole('button', { name: '24h' }));
    await waitFor(() =>
      expect(api.getTimeline).toHaveBeenLastCalledWith(
        expect.objectContaining({ name: 'checkout' }),
        { window: '24h' },
      ),
    );
  });

  it('says so when nothing happened', async () => {
    const api = createFakeProductOsApi({
      getTimeline: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWithEntity(<EntityProductOsTimeline />, { api });
    expect(await screen.findByText('Nothing happened')).toBeInTheDocument();
  });

  it('asks for an annotation when the entity has none Product OS reads', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityProductOsTimeline />, {
      api,
      entity: unannotatedEntity,
    });
    expect(api.getTimeline).not.toHaveBeenCalled();
    expect(
      screen.getAllByText(/github\.com\/project-slug/).length,
    ).toBeGreaterThan(0);
  });
});
