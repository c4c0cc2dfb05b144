import { act, screen, waitFor, within } from '@testing-library/react';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityChannel } from '@internal/plugin-product-os-common';
import { EntityProductOsContent } from './EntityProductOsContent';
import { createFakeProductOsApi } from '../../__testUtils__/fakeApi';
import { checkoutEntity, overview } from '../../__testUtils__/fixtures';
import { fakePermissionApi } from '../../__testUtils__/renderWithEntity';
import { ProductOsApi, productOsApiRef } from '../../api';

/** What a signal carries: a JSON object. */
type SignalMessage = Record<string, string | string[]>;

/** A signals client whose messages the test sends, on the channels the page subscribed to. */
function fakeSignals() {
  const subscribers = new Map<
    string,
    Array<(message: SignalMessage) => void>
  >();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const list = subscribers.get(channel) ?? [];
      list.push(onMessage as unknown as (message: SignalMessage) => void);
      subscribers.set(channel, list);
      return {
        unsubscribe: () =>
          subscribers.set(
            channel,
            (subscribers.get(channel) ?? []).filter(s => s !== onMessage),
          ),
      };
    },
  };
  const publish = (channel: string, message: SignalMessage) =>
    (subscribers.get(channel) ?? []).forEach(s => s(message));
  return { api, publish, subscribers };
}

function render(api: ProductOsApi, signals?: SignalApi) {
  const apis: any[] = [
    [productOsApiRef, api],
    [permissionApiRef, fakePermissionApi('allow')],
  ];
  if (signals) apis.push([signalApiRef, signals]);
  return renderInTestApp(
    <TestApiProvider apis={apis as any}>
      <EntityProvider entity={checkoutEntity}>
        <EntityProductOsContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('the Product OS tab, live', () => {
  it('loads again when a signal says the entity changed, and says what changed', async () => {
    const signals = fakeSignals();
    const api = createFakeProductOsApi();
    api.getOverview.mockResolvedValueOnce(overview).mockResolvedValue({
      ...overview,
      errors: { ...overview.errors, events: 1500 },
      incidents: { ...overview.incidents, open: 2 },
    });
    await render(api, signals.api);

    const errors = await screen.findByRole('region', { name: 'Errors' });
    expect(within(errors).getByText('1,380')).toBeInTheDocument();
    expect(
      screen.getByRole('status', { name: 'Last updated' }),
    ).toHaveTextContent(/^Updated just now$/);
    const channel = entityChannel('component:default/checkout');
    expect(signals.subscribers.get(channel)).toHaveLength(1);
    const loads = api.getOverview.mock.calls.length;
    const errorLoads = api.getErrors.mock.calls.length;

    act(() =>
      signals.publish(channel, {
        entityRef: 'component:default/checkout',
        topics: ['errors', 'incidents'],
      }),
    );

    await waitFor(() =>
      expect(
        within(screen.getByRole('region', { name: 'Errors' })).getByText(
          '1,500',
        ),
      ).toBeInTheDocument(),
    );
    expect(api.getOverview.mock.calls.length).toBe(loads + 1);
    // Every section of the tab loads again, not only the headline.
    expect(api.getErrors.mock.calls.length).toBeGreaterThan(errorLoads);
    await waitFor(() =>
      expect(
        screen.getByRole('status', { name: 'Last updated' }),
      ).toHaveTextContent(
        'Updated just now · changed since the last load: errors, open incidents',
      ),
    );
    // The figures that moved carry a marker; the others do not.
    const marked = (name: string) =>
      within(screen.getByRole('region', { name })).queryByText('changed');
    expect(marked('Errors')).toBeInTheDocument();
    expect(marked('Open incidents')).toBeInTheDocument();
    expect(marked('Open diagnoses')).not.toBeInTheDocument();
    expect(marked('Deploys this week')).not.toBeInTheDocument();
  });

  it('says it polls when the app has no signals', async () => {
    await render(createFakeProductOsApi());
    expect(
      await screen.findByRole('status', { name: 'Last updated' }),
    ).toHaveTextContent(
      'Updated just now · loads again every 30 s while something is open',
    );
  });

  it('polls every 30 s without signals while something is open, and not while all is quiet', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    try {
      const api = createFakeProductOsApi();
      await render(api);
      await screen.findByRole('status', { name: 'Last updated' });
      const loads = api.getOverview.mock.calls.length;
      // The fixture's overview has an open incident.
      await act(async () => {
        jest.advanceTimersByTime(30_000);
      });
      await waitFor(() =>
        expect(api.getOverview.mock.calls.length).toBe(loads + 1),
      );

      const quiet = createFakeProductOsApi();
      quiet.getOverview.mockResolvedValue({
        ...overview,
        incidents: { ...overview.incidents, open: 0 },
        diagnoses: { open: 0 },
      });
      await render(quiet);
      await screen.findAllByRole('status', { name: 'Last updated' });
      const quietLoads = quiet.getOverview.mock.calls.length;
      await act(async () => {
        jest.advanceTimersByTime(90_000);
      });
      expect(quiet.getOverview.mock.calls.length).toBe(quietLoads);
    } finally {
      jest.useRealTimers();
    }
  });
});
