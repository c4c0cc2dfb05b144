import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { AsyncContent, AsyncValue, NoData } from '../shared';
import { RollUpSummary } from '../RollUp/RollUpSummary';
import { RollUpView } from '../RollUp/useRollUp';

/** The "Team health" card of a team's roll-up, loaded by whoever shows it. */
export function TeamHealth(props: {
  name: string;
  state: AsyncValue<RollUpView>;
}) {
  const { name, state } = props;
  return (
    // A landmark of its own: on a Group page's overview it sits among the org plugin's cards.
    <Box component="section" aria-label="Team health" height="100%">
      <InfoCard
        title="Team health"
        subheader={`What ${name} and the groups below it own`}
        variant="gridItem"
      >
        <AsyncContent state={state}>
          {view =>
            view.rollup.members.length === 0 ? (
              <NoData
                title="Nothing tracked"
                description={`Neither ${name} nor a group below it owns a component with a Product OS annotation.`}
              />
            ) : (
              <RollUpSummary
                view={view}
                noun="services"
                tableLabel={`Services of ${name} by health`}
              />
            )
          }
        </AsyncContent>
      </InfoCard>
    </Box>
  );
}
