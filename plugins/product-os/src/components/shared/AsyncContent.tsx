import { ReactNode } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';

/** The state of a load, as returned by react-use's `useAsync`. */
export interface AsyncValue<T> {
  loading: boolean;
  error?: Error;
  value?: T;
}

/** Shows progress while loading, the error when the load failed, and the children otherwise. */
export function AsyncContent<T>(props: {
  state: AsyncValue<T>;
  children: (value: T) => ReactNode;
}) {
  const { state, children } = props;
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  if (state.value === undefined) return null;
  return <>{children(state.value)}</>;
}
