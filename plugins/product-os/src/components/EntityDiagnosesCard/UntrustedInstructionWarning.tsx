import { Diagnosis, Evidence } from '@internal/plugin-product-os-common';
import { AlertChip } from '../shared';
import WarningIcon from '@material-ui/icons/Warning';
import Alert from '@material-ui/lab/Alert';

/** The evidence kind the backend gives text from outside that reads like an instruction. */
export const UNTRUSTED_INSTRUCTION = 'untrusted_instruction';

/** The diagnosis' flags of untrusted instructions, wherever they are. */
export function untrustedInstructions(diagnosis: Diagnosis): Evidence[] {
  return [
    ...diagnosis.evidence,
    ...diagnosis.suspects.flatMap(s => s.evidence),
  ].filter(e => e.kind === UNTRUSTED_INSTRUCTION);
}

/** A chip on the diagnosis' headline, so the flag is seen before it is expanded. */
export function UntrustedInstructionChip(props: { diagnosis: Diagnosis }) {
  if (untrustedInstructions(props.diagnosis).length === 0) return null;
  return <AlertChip icon={<WarningIcon />} label="Untrusted instruction" />;
}

/**
 * Says that text from outside (an error message, a pull request title) reads like an
 * instruction to the agent: it was treated as data, and whoever acts on the diagnosis should
 * know someone may be trying to steer it.
 */
export function UntrustedInstructionWarning(props: { diagnosis: Diagnosis }) {
  const flags = untrustedInstructions(props.diagnosis);
  if (flags.length === 0) return null;
  return (
    <Alert severity="warning" style={{ marginBottom: 8 }}>
      Text from outside in this diagnosis reads like an instruction to the agent
      ({flags.length} {flags.length === 1 ? 'place' : 'places'}, listed under
      Evidence). It was treated as data and not acted on; check it before you
      act on this diagnosis.
    </Alert>
  );
}
