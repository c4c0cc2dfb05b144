import { useState } from 'react';
import { Link } from '@backstage/core-components';
import { Suspect } from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Collapse from '@material-ui/core/Collapse';
import Typography from '@material-ui/core/Typography';
import {
  changeName,
  describeConfidence,
  entityName,
} from '../../lib/caseLines';
import { TYPE_LABELS } from '../../lib/labels';
import { EvidenceList } from './EvidenceList';

function ChangeLink(props: { suspect: Suspect }) {
  const { change } = props.suspect;
  return change.url ? (
    <Link to={change.url}>{change.title}</Link>
  ) : (
    <>{change.title}</>
  );
}

/**
 * The changes the agent considered. The one it names comes first with its evidence as
 * sentences; the others are folded behind "other changes considered (N)", since a list of
 * changes at 0 % is noise to someone deciding what to roll back. Weights show on demand.
 */
export function SuspectList(props: {
  suspects: Suspect[];
  /** Whether the first-ranked suspect is named (the diagnosis's verdict). */
  named: boolean;
  entityRef: string;
}) {
  const [showOthers, setShowOthers] = useState(false);
  const [showWeights, setShowWeights] = useState(false);
  const ranked = [...props.suspects].sort((a, b) => a.rank - b.rank);
  const named = props.named ? ranked[0] : undefined;
  const others = named ? ranked.slice(1) : ranked;
  const othersId = `product-os-other-changes-${ranked[0]?.id ?? 0}`;
  const where = (suspect: Suspect) =>
    suspect.change.entityRef === props.entityRef
      ? ''
      : ` of ${entityName(suspect.change.entityRef)}`;

  return (
    <>
      {named && (
        <Box component="ol" m={0} pl={3} aria-label="Suspects">
          <li>
            <Typography variant="body2">
              <ChangeLink suspect={named} />
              {where(named)}{' '}
              <Typography
                component="span"
                variant="body2"
                color="textSecondary"
              >
                ({TYPE_LABELS[named.change.kind].toLocaleLowerCase('en-US')},
                confidence {describeConfidence(named.confidence)})
              </Typography>
            </Typography>
            <EvidenceList
              evidence={named.evidence}
              label={`Evidence against ${named.change.title}`}
              showWeights={showWeights}
              linkedUrl={named.change.url}
            />
          </li>
        </Box>
      )}
      <Box display="flex" flexWrap="wrap" gridGap={8} mt={1}>
        {others.length > 0 && (
          <Button
            size="small"
            aria-expanded={showOthers}
            aria-controls={othersId}
            onClick={() => setShowOthers(value => !value)}
          >
            {named ? 'Other changes considered' : 'Changes considered'} (
            {others.length})
          </Button>
        )}
        <Button
          size="small"
          aria-pressed={showWeights}
          onClick={() => setShowWeights(value => !value)}
        >
          {showWeights ? 'Hide weights' : 'Show weights'}
        </Button>
      </Box>
      <Collapse in={showOthers} unmountOnExit>
        <Box
          component="ol"
          m={0}
          pl={3}
          id={othersId}
          aria-label={named ? 'Other changes considered' : 'Changes considered'}
        >
          {others.map(suspect => (
            <li key={suspect.id}>
              <Typography variant="body2">
                <ChangeLink suspect={suspect} />
                {where(suspect)}{' '}
                <Typography
                  component="span"
                  variant="body2"
                  color="textSecondary"
                >
                  ({changeName(suspect.change)}, confidence{' '}
                  {describeConfidence(suspect.confidence)})
                </Typography>
              </Typography>
              <EvidenceList
                evidence={suspect.evidence}
                label={`Evidence about ${suspect.change.title}`}
                showWeights={showWeights}
                linkedUrl={suspect.change.url}
              />
            </li>
          ))}
        </Box>
      </Collapse>
    </>
  );
}
