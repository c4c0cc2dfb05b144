import { Link } from '@backstage/core-components';
import { Evidence } from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { LocalTime } from '../shared';
import { evidenceSentence } from './evidenceSentence';

/**
 * Evidence items as sentences, heaviest first. An item links where it can be checked, unless
 * that is the page of the change it is about (linked once, beside the change), so the list adds
 * few stops for a keyboard. A weight (the item's share of the suspect's score, not a
 * probability) is shown only when asked for.
 */
export function EvidenceList(props: {
  evidence: Evidence[];
  label: string;
  showWeights?: boolean;
  /** A link already on screen for the thing this evidence is about. */
  linkedUrl?: string;
}) {
  const items = [...props.evidence].sort((a, b) => b.weight - a.weight);
  return (
    <Box component="ul" m={0} pl={3} aria-label={props.label}>
      {items.map(item => {
        const sentence = evidenceSentence(item);
        const link =
          item.url && item.url !== props.linkedUrl ? item.url : undefined;
        return (
          <li key={item.id}>
            <Typography variant="body2" component="span">
              {link ? <Link to={link}>{sentence.text}</Link> : sentence.text}
              {sentence.at && (
                <>
                  {' '}
                  (<LocalTime time={sentence.at} />)
                </>
              )}
              .
            </Typography>
            {props.showWeights && (
              <Typography
                variant="body2"
                component="span"
                color="textSecondary"
              >
                {' '}
                weight {item.weight.toFixed(2)}
              </Typography>
            )}
          </li>
        );
      })}
    </Box>
  );
}
