import { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { hasAnyAnnotation } from '../../lib/annotations';

/**
 * A card on an entity page that needs one of `annotations`. Without it the card explains
 * which annotation to add instead of rendering (and loading) its content.
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
        <MissingAnnotationEmptyState annotation={[...props.annotations]} />
      )}
    </InfoCard>
  );
}
