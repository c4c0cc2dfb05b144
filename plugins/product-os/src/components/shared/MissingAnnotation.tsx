import { Fragment } from 'react';
import {
  getEntityRelations,
  humanizeEntityRef,
  MissingAnnotationEmptyState,
  useEntity,
  useEntityOwnership,
} from '@backstage/plugin-catalog-react';
import { RELATION_OWNED_BY } from '@backstage/catalog-model';
import Typography from '@material-ui/core/Typography';

/**
 * What a card says when the entity lacks its annotation. Its owners, who edit the entity's
 * catalog file, get Backstage's panel with the YAML to add; everyone else a line saying who
 * can add it, since the YAML is no use to a reader who cannot change the file.
 */
export function MissingAnnotation(props: { annotations: readonly string[] }) {
  const { entity } = useEntity();
  const { loading, isOwnedEntity } = useEntityOwnership();
  if (loading) return null;
  if (isOwnedEntity(entity)) {
    return <MissingAnnotationEmptyState annotation={[...props.annotations]} />;
  }
  const owners = getEntityRelations(entity, RELATION_OWNED_BY).map(ref =>
    humanizeEntityRef(ref, { defaultKind: 'group' }),
  );
  return (
    <Typography variant="body2" color="textSecondary">
      Not linked yet: it needs the{' '}
      {props.annotations.map((name, i) => (
        <Fragment key={name}>
          {i > 0 && ' or '}
          <code>{name}</code>
        </Fragment>
      ))}{' '}
      annotation, which {owners.length > 0 ? owners.join(', ') : 'its owner'}{' '}
      can add.
    </Typography>
  );
}
