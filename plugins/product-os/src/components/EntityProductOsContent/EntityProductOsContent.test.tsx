import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityProductOsContent } from './EntityProductOsContent';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import {
  checkoutEntity,
  errorTrend,
  openDiagnosis,
  overview,
  unannotatedEntity,
} from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import { ProductOsApi } from '../../api';

describe('EntityProductOsContent', () => {
  it('heads the tab with the latest diagnosis in four lines, then errors against last week, incidents and deploys', async () => {
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
    expect(diagnosis.getByText('Latest diagnosis · Open')).toBeInTheDocument();
    const line = (term: string) =>
      diagnosis.getByText(term).nextElementSibling?.textContent;
    // In the reader's zone (the tests run in UTC), and how long ago.
    expect(line('What broke')).toMatch(
      /^Errors in checkout up 14×: 1,284 error events, up to 310 users, since Mar 12, 8:08 AM UTC \(\d+ days ago\)$/,
    );
    expect(line('Likely cause')).toBe(
      'PR #512 by mhernandez in checkout, went live 2 min before the trouble began',
    );
    expect(line('Next step')).toBe(
      'Roll back 4f2a9c1 or guard the undefined token in authoriseCard',
    );
    expect(line('Confidence')).toBe('High (82%)');
    // The long summary is the detail, further down; not repeated in the headline.
    expect(
      diagnosis.queryByText(/most likely PR #512/),
    ).not.toBeInTheDocument();
    expect(
      diagnosis.getByRole('link', { name: 'Details, suspects and evidence' }),
    ).toHaveAttribute('href', '#product-os-diagnosis-12');

    const deploys = within(
      screen.getByRole('region', { name: 'Deploys this week' }),
    );
    expect(deploys.getByText('4')).toBeInTheDocument();

    expect(api.getOverview).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'checkout' }),
      { window: '7d' },
    );
  });

  it('says "no baseline yet" instead of a rise when last week had nothing', async () => {
    const api = createFakeProductOsApi({
      getOverview: jest.fn().mockResolvedValue({
        ...overview,
        errors: { ...overview.errors, previousEvents: 0 },
      }),
    });
    await renderWithEntity(<EntityProductOsContent />, { api });
    const errors = within(
      await screen.findByRole('region', { name: 'Errors' }),
    );
    expect(errors.getByText(/no baseline yet/)).toBeInTheDocument();
    expect(errors.queryByText(/new|\(0\)/)).not.toBeInTheDocument();
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
      'Data sync',
    ]);
  });

  it('says the likely cause is a change the reader cannot see, without naming the next suspect', async () => {
    // As the API returns it to a reader who may not see the top suspect's entity.
    const redacted = {
      ...openDiagnosis,
      suspects: openDiagnosis.suspects.filter(s => s.rank !== 1),
      hiddenTopSuspect: { rank: 1, confidence: 0.82 },
      nextStep:
        'Ask the owners of the dependencies of checkout to check a change in a dependency you cannot see, the likeliest cause.',
    };
    const api = createFakeProductOsApi({
      getOverview: jest
        .fn()
        .mockResolvedValue({ ...overview, latestDiagnosis: redacted }),
    });
    await renderWithEntity(<EntityProductOsContent />, { api });
    const diagnosis = within(
      await screen.findByRole('region', { name: 'Latest diagnosis' }),
    );
    const line = (term: string) =>
      diagnosis.getByText(term).nextElementSibling?.textContent;
    expect(line('Likely cause')).toBe(
      'A change in a dependency you cannot see (ask its owners)',
    );
    expect(line('Next step')).toBe(redacted.nextStep);
    expect(line('Confidence')).toBe('High (82%)');
    const second = openDiagnosis.suspects.find(s => s.rank === 2)!;
    expect(
      diagnosis.queryByText(new RegExp(second.change.title)),
    ).not.toBeInTheDocument();
  });

  it('says when nothing has needed a diagnosis', async () => {
    const api = createFakeProductOsApi({
      getOverview: jest
        .fn()
        .mockResolvedValue({ ...overview, latestDiagnosis: undefined }),
    });
    await renderWithEntity(<EntityProductOsContent />, { api });
    const diagnoses = within(
      await screen.findByRole('region', { name: 'Open diagnoses' }),
    );
    expect(
      diagnoses.getByText('Nothing has needed explaining.'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Latest diagnosis' }),
    ).not.toBeInTheDocument();
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
    // The whole tab renders, but the cards this test does not look at have nothing to show: with
    // their charts and tables, and role queries over all of them, it needed 3.4 s of CPU (2.0 s
    // now) and overran Jest's 5 s on a busy machine. Every query is scoped to its section.
    const api = createFakeProductOsApi(withOnlyHeadlineAndDiagnoses());
    await renderWithEntity(<EntityProductOsContent />, { api });
    const headline = await screen.findByRole('region', {
      name: 'Latest diagnosis',
    });
    const open = within(headline).getByRole('link', {
      name: 'Details, suspects and evidence',
    });

    api.getOverview.mockResolvedValue({
      ...overview,
      latestDiagnosis: { ...openDiagnosis, status: 'acknowledged' },
    });
    // The headline links to the diagnosis it shows, further down the tab.
    const item = within(
      await waitFor(() => {
        const target = document.querySelector<HTMLElement>(
          open.getAttribute('href')!,
        );
        expect(target).not.toBeNull();
        return target!;
      }),
    );
    await userEvent.click(
      item.getByRole('button', { name: /Errors in checkout up 14×/ }),
    );
    await userEvent.click(item.getByRole('button', { name: 'Acknowledge' }));
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: 'Acknowledge' }));

    // The headline loads again, so it is a new section: look it up each time until it shows the
    // new status, rather than holding on to the one the reload replaced. (`hidden`: the rest of
    // the page is aria-hidden until the dialog's exit transition has run on real timers.)
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('region', {
            name: 'Latest diagnosis',
            hidden: true,
          }),
        ).getByText('Latest diagnosis · Acknowledged'),
      ).toBeInTheDocument(),
    );
    expect(api.getOverview).toHaveBeenCalledTimes(2);
  });
});

/** The API of an entity whose only Product OS data are its headline and diagnoses. */
function withOnlyHeadlineAndDiagnoses(): Partial<ProductOsApi> {
  const nothing = jest.fn().mockResolvedValue({ items: [] });
  return {
    getErrors: nothing,
    getErrorTrend: jest
      .fn()
      .mockResolvedValue({ ...errorTrend, points: [], deploys: [] }),
    getChanges: nothing,
    getIncidents: nothing,
    getMetrics: nothing,
    getTimeline: nothing,
  };
}
