import { Link } from '@backstage/core-components';
import { Diagnosis } from '@internal/plugin-product-os-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { recordAnchorId } from '../../lib/anchors';
import { caseLines } from '../../lib/caseLines';
import { DotSeparated, LocalTime } from '../shared';
import { useProductOsTabLink } from '../ProductOsPage/useProductOsTabLink';

/**
 * Open diagnoses across a team or system, each as what broke and the likely cause (the first
 * two of the case file's four lines), linked to the diagnosis on its entity's tab.
 */
export function OpenDiagnosesList(props: { diagnoses: Diagnosis[] }) {
  const tabLink = useProductOsTabLink();
  if (props.diagnoses.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No open diagnosis: nothing is waiting to be explained or acted on.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Open diagnoses" disablePadding>
      {props.diagnoses.map(diagnosis => {
        const lines = caseLines(diagnosis);
        return (
          <ListItem key={diagnosis.id} divider disableGutters>
            <ListItemText
              primary={
                <Link
                  to={`${tabLink(diagnosis.entityRef)}#${recordAnchorId(
                    'diagnosis',
                    diagnosis.id,
                  )}`}
                >
                  {lines.what}
                </Link>
              }
              secondary={
                <DotSeparated
                  parts={[
                    lines.cause,
                    `confidence ${lines.confidence}`,
                    <LocalTime time={diagnosis.createdAt} />,
                  ]}
                />
              }
            />
          </ListItem>
        );
      })}
    </List>
  );
}
