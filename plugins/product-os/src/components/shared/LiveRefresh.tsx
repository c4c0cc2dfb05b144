import {
  createContext,
  ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  entityChannel,
  type EntityChangedMessage,
} from '@internal/plugin-product-os-common';

/** How often the page loads again without signals, while something is open. */
export const POLL_INTERVAL_MS = 30_000;

interface LiveRefreshValue {
  /** Grows by one whenever the entity's data changed since the page loaded it. */
  revision: number;
  /** Whether something (an incident, a diagnosis) is open, so polling is worth its requests. */
  reportOpen(open: boolean): void;
  /** Whether the page hears of changes through signals rather than by polling. */
  live: boolean;
}

const LiveRefreshContext = createContext<LiveRefreshValue>({
  revision: 0,
  reportOpen: () => {},
  live: false,
});

/**
 * Keeps an entity's Product OS tab up to date while it is open: the backend publishes a
 * Backstage signal on the entity's channel when its data change, and every section loads again.
 * Without the signals plugin, the tab polls every `pollIntervalMs` instead, and only while
 * something is open (an incident or a diagnosis): a quiet service's page needs no requests.
 */
export function EntityLiveRefresh(props: {
  children: ReactNode;
  pollIntervalMs?: number;
}) {
  const { entity } = useEntity();
  const channel = entityChannel(stringifyEntityRef(entity));
  const { lastSignal, isSignalsAvailable } =
    useSignal<EntityChangedMessage>(channel);
  const [revision, setRevision] = useState(0);
  const [open, setOpen] = useState(false);
  const pollIntervalMs = props.pollIntervalMs ?? POLL_INTERVAL_MS;

  useEffect(() => {
    if (lastSignal) setRevision(value => value + 1);
  }, [lastSignal]);

  useEffect(() => {
    if (isSignalsAvailable || !open) return undefined;
    const timer = setInterval(
      () => setRevision(value => value + 1),
      pollIntervalMs,
    );
    return () => clearInterval(timer);
  }, [isSignalsAvailable, open, pollIntervalMs]);

  const reportOpen = useCallback((value: boolean) => setOpen(value), []);
  const value = useMemo(
    () => ({ revision, reportOpen, live: isSignalsAvailable }),
    [revision, reportOpen, isSignalsAvailable],
  );
  return (
    <LiveRefreshContext.Provider value={value}>
      {props.children}
    </LiveRefreshContext.Provider>
  );
}

/** The live refresh of the page; a section outside `EntityLiveRefresh` simply never refreshes. */
export function useLiveRefresh(): LiveRefreshValue {
  return useContext(LiveRefreshContext);
}
