import { ReactNode, useState } from 'react';
import { TimeWindowName } from '@internal/plugin-product-os-common';
import { describeWindow } from '../../lib/windows';
import { ProductOsCard } from './ProductOsCard';
import { WindowToggle } from './WindowToggle';

/** A {@link ProductOsCard} whose content covers a time window the user picks. */
export function WindowedCard(props: {
  title: string;
  /** What the card shows, before the window in the subheader: "Sentry", "PagerDuty". */
  source: string;
  annotations: readonly string[];
  defaultWindow: TimeWindowName;
  children: (window: TimeWindowName) => ReactNode;
}) {
  const [window, setWindow] = useState<TimeWindowName>(props.defaultWindow);
  return (
    <ProductOsCard
      title={props.title}
      subheader={`${props.source}, ${describeWindow(window)}`}
      annotations={props.annotations}
      action={<WindowToggle value={window} onChange={setWindow} />}
    >
      {props.children(window)}
    </ProductOsCard>
  );
}
