import { Diagnosis } from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { caseLines } from '../../lib/caseLines';
import { STATUS_LABELS } from '../../lib/labels';
import { LocalTime } from './LocalTime';

const useStyles = makeStyles(theme => ({
  lines: {
    ...theme.typography.body1,
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
    [theme.breakpoints.down('xs')]: { gridTemplateColumns: '1fr' },
  },
  term: { fontWeight: theme.typography.fontWeightBold as number },
  detail: { margin: 0 },
}));

/**
 * A diagnosis in the four lines an on-call reads in five seconds: what broke and how much,
 * since when; the likely cause; the next step with its target; the confidence in words. The
 * agent's full summary is the detail, behind `detailHref`.
 */
export function CaseHeadline(props: {
  diagnosis: Diagnosis;
  /** The moment "how long ago" is counted from. */
  now: number;
  detailHref?: string;
}) {
  const { diagnosis, now, detailHref } = props;
  const classes = useStyles();
  const lines = caseLines(diagnosis);
  return (
    <Box component="section" aria-label="Latest diagnosis">
      <Typography variant="overline" component="h2">
        Latest diagnosis · {STATUS_LABELS[diagnosis.status]}
      </Typography>
      <dl className={classes.lines} aria-label="What happened">
        <dt className={classes.term}>What broke</dt>
        <dd className={classes.detail}>
          {lines.what}
          {lines.since !== undefined && (
            <>
              , since <LocalTime time={lines.since} now={now} />
            </>
          )}
        </dd>
        <dt className={classes.term}>Likely cause</dt>
        <dd className={classes.detail}>{lines.cause}</dd>
        {lines.nextStep && (
          <>
            <dt className={classes.term}>Next step</dt>
            <dd className={classes.detail}>{lines.nextStep}</dd>
          </>
        )}
        <dt className={classes.term}>Confidence</dt>
        <dd className={classes.detail}>{lines.confidence}</dd>
      </dl>
      {detailHref && (
        <Box mt={1}>
          <Link href={detailHref}>Details, suspects and evidence</Link>
        </Box>
      )}
    </Box>
  );
}
