import {
  createContext,
  ReactNode,
  useCallback,
  useContext,
  useMemo,
  useState,
} from 'react';

interface ReviewRevisionValue {
  /** Grows by one whenever a diagnosis is reviewed on this page. */
  revision: number;
  reviewed(): void;
}

const ReviewRevisionContext = createContext<ReviewRevisionValue>({
  revision: 0,
  reviewed: () => {},
});

/**
 * Lets the sections of one page that show a diagnosis's status (the tab's headline, the
 * diagnoses card) agree after a person reviews one, without reloading the page. A card used on
 * its own, outside a provider, simply has nobody to tell.
 */
export function ReviewRevisionProvider(props: { children: ReactNode }) {
  const [revision, setRevision] = useState(0);
  const reviewed = useCallback(() => setRevision(value => value + 1), []);
  const value = useMemo(() => ({ revision, reviewed }), [revision, reviewed]);
  return (
    <ReviewRevisionContext.Provider value={value}>
      {props.children}
    </ReviewRevisionContext.Provider>
  );
}

export function useReviewRevision(): ReviewRevisionValue {
  return useContext(ReviewRevisionContext);
}
