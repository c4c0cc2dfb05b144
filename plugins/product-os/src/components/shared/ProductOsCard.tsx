import { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { hasAnyAnnotation } from '../../lib/annotations';
import { MissingAnnotation } from './MissingAnnotation';

/**
 * A card on an entity page that needs one of `annotations`. Without it the card explains
 * which annotation to add instead of rendering (and loading) its content: to its owners in full,
 * to other readers in a line.
 */
export function ProductOsCard(props: {
  title: string;
  subheader?: ReactNode;
  annotations: readonly string[];
  action?: ReactNode;
  children: ReactNode;
}) {
  const { entity } = useEntity();
  const linked = hasAnyAnnotation(entity, props.annotations);
  return (
    <InfoCard
      title={props.title}
      subheader={linked ? props.subheader : undefined}
      action={linked ? props.action : undefined}
      variant="gridItem"
    >
      {linked ? (
        props.children
      ) : (
        <MissingAnnotation annotations={props.annotations} />
      )}
    </InfoCard>
  );
}
