import { TeamHealth } from './TeamHealth';
import { useTeamRollUp } from './useTeamRollUp';

/**
 * A team's health on its Group page: what it and every group below it own that Product OS
 * tracks, ranked least healthy first (ties where the difference is noise), its DORA, open
 * incidents and open diagnoses. One roll-up request, and one for the diagnoses.
 * @public
 */
export function EntityTeamHealthCard() {
  const { name, state } = useTeamRollUp();
  return <TeamHealth name={name} state={state} />;
}
