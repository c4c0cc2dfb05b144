import { screen, within } from '@testing-library/react';
import { EntityChangesCard } from './EntityChangesCard';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import {
  deployment,
  mergedPullRequest,
  release,
  unannotatedEntity,
} from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';

describe('EntityChangesCard', () => {
  it('lists deployments, merged PRs and releases, newest first', async () => {
    const api = createFakeProductOsApi({
      getChanges: jest
        .fn()
        .mockResolvedValue({ items: [release, deployment, mergedPullRequest] }),
    });
    await renderWithEntity(<EntityChangesCard />, { api });

    const list = await screen.findByRole('list', { name: 'Changes' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(3);

    expect(items[0]).toHaveTextContent('Deploy');
    expect(items[0]).toHaveTextContent('Deploy 4f2a9c1 to production');
    expect(items[0]).toHaveTextContent(
      '4f2a9c1 · production · Success · mhernandez',
    );

    expect(items[1]).toHaveTextContent('PR');
    expect(items[1]).toHaveTextContent('#512');
    expect(
      within(items[1]).getByRole('link', { name: /Retry card authorisation/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/checkout/pull/512');

    expect(items[2]).toHaveTextContent('Release');
    expect(items[2]).toHaveTextContent('v2.14.0');

    expect(api.getChanges).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'checkout' }),
      { window: '7d', kinds: ['deployment', 'pull_request', 'release'] },
    );
  });

  it('says so when nothing changed', async () => {
    const api = createFakeProductOsApi({
      getChanges: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWithEntity(<EntityChangesCard />, { api });
    expect(await screen.findByText('No changes')).toBeInTheDocument();
  });

  it('asks for the GitHub annotation without it', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityChangesCard />, {
      api,
      entity: unannotatedEntity,
    });
    expect(
      screen.getAllByText(/github\.com\/project-slug/).length,
    ).toBeGreaterThan(0);
    expect(api.getChanges).not.toHaveBeenCalled();
  });
});
