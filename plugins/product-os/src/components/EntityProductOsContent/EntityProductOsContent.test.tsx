import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityProductOsContent } from './EntityProductOsContent';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import {
  checkoutEntity,
  openDiagnosis,
  overview,
  unannotatedEntity,
} from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';

describe('EntityProductOsContent', () => {
  it('heads the tab with errors against last week, incidents, the latest diagnosis and deploys', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityProductOsContent />, { api });

    const errors = within(
      await screen.findByRole('region', { name: 'Errors' }),
    );
    expect(errors.getByText('1,380')).toBeInTheDocument();
    // 1380 against 600 is 130% more.
    expect(
      errors.getByText(/\+130% vs previous 7 days \(600\)/),
    ).toBeInTheDocument();

    const incidents = within(
      screen.getByRole('region', { name: 'Open incidents' }),
    );
    expect(incidents.getByText('1')).toBeInTheDocument();
    expect(incidents.getByText('2 in the last 7 days')).toBeInTheDocument();

    const diagnosis = within(
      screen.getByRole('region', { name: 'Latest diagnosis' }),
    );
    expect(diagnosis.getByRole('link', { name: 'Open' })).toHaveAttribute(
      'href',
      '#product-os-diagnosis-12',
    );
    expect(
      diagnosis.getByText(/most likely PR #512.*\(confidence 82%\)/),
    ).toBeInTheDocument();

    const deploys = within(
      screen.getByRole('region', { name: 'Deploys this week' }),
    );
    expect(deploys.getByText('4')).toBeInTheDocument();

    expect(api.getOverview).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'checkout' }),
      { window: '7d' },
    );
  });

  it('shows every section', async () => {
    const api = createFakeProductOsApi();
    const { container } = await renderWithEntity(<EntityProductOsContent />, {
      api,
    });
    await screen.findByText('1,380 events');
    const cardTitles = Array.from(
      container.querySelectorAll('.MuiCardHeader-title'),
    ).map(title => title.textContent);
    expect(cardTitles).toEqual([
      'This week',
      'Diagnoses',
      'Timeline',
      'Error trends',
      'Product analytics',
      'Changes',
      'Incident history',
    ]);
  });

  it('says when nothing has needed a diagnosis', async () => {
    const api = createFakeProductOsApi({
      getOverview: jest
        .fn()
        .mockResolvedValue({ ...overview, latestDiagnosis: undefined }),
    });
    await renderWithEntity(<EntityProductOsContent />, { api });
    const diagnosis = within(
      await screen.findByRole('region', { name: 'Latest diagnosis' }),
    );
    expect(diagnosis.getByText('None')).toBeInTheDocument();
    expect(
      diagnosis.getByText('Nothing has needed explaining.'),
    ).toBeInTheDocument();
  });

  it('keeps the cards whose annotation is there when others are missing', async () => {
    const sentryOnly: Entity = {
      ...checkoutEntity,
      metadata: {
        name: 'checkout',
        annotations: { 'sentry.io/project-slug': 'acme/checkout' },
      },
    };
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityProductOsContent />, {
      api,
      entity: sentryOnly,
    });

    expect(await screen.findByText('1,380 events')).toBeInTheDocument();
    expect(api.getIncidents).not.toHaveBeenCalled();
    expect(api.getChanges).not.toHaveBeenCalled();
    expect(api.getMetrics).not.toHaveBeenCalled();
  });

  it('explains the annotations when the entity has none of them', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityProductOsContent />, {
      api,
      entity: unannotatedEntity,
    });
    expect(
      screen.getAllByText(/pagerduty\.com\/service-id/).length,
    ).toBeGreaterThan(0);
    expect(api.getOverview).not.toHaveBeenCalled();
  });

  it('updates the headline when the diagnosis it shows is acknowledged below', async () => {
    const api = createFakeProductOsApi();
    await renderWithEntity(<EntityProductOsContent />, { api });
    const headline = within(
      await screen.findByRole('region', { name: 'Latest diagnosis' }),
    );
    expect(headline.getByRole('link', { name: 'Open' })).toBeInTheDocument();

    api.getOverview.mockResolvedValue({
      ...overview,
      latestDiagnosis: { ...openDiagnosis, status: 'acknowledged' },
    });
    await userEvent.click(
      await screen.findByRole('button', {
        name: /Error spike after deploy 4f2a9c1/,
      }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: 'Acknowledge' }));

    const updated = within(
      await screen.findByRole('region', { name: 'Latest diagnosis' }),
    );
    expect(
      await updated.findByRole('link', { name: 'Acknowledged' }),
    ).toBeInTheDocument();
    expect(api.getOverview).toHaveBeenCalledTimes(2);
  });
});
