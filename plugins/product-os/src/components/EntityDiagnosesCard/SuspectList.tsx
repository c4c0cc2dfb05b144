import { Link } from '@backstage/core-components';
import { Suspect } from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { formatPercent } from '../../lib/format';
import { EvidenceList } from './EvidenceList';

/** The changes the agent suspects, by rank, each with the evidence against it. */
export function SuspectList(props: { suspects: Suspect[] }) {
  const suspects = [...props.suspects].sort((a, b) => a.rank - b.rank);
  return (
    <Box component="ol" m={0} pl={3} aria-label="Suspects">
      {suspects.map(suspect => (
        <li key={suspect.id}>
          <Typography variant="body2">
            {suspect.change.url ? (
              <Link to={suspect.change.url}>{suspect.change.title}</Link>
            ) : (
              suspect.change.title
            )}{' '}
            <Typography component="span" variant="body2" color="textSecondary">
              ({suspect.change.kind.replace('_', ' ')}, confidence{' '}
              {formatPercent(suspect.confidence)})
            </Typography>
          </Typography>
          <EvidenceList
            evidence={suspect.evidence}
            label={`Evidence against ${suspect.change.title}`}
          />
        </li>
      ))}
    </Box>
  );
}
