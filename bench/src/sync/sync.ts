/*
 * Pull sync benchmark
 * (`yarn bench:sync [--scenario NAME] [--entities N] [--latency MS] [--max-minutes M]`).
 *
 * For each scenario (a source's pulls and a local server answering as its vendor, see
 * `SyncScenario.ts`), over N catalog entities on a SQLite store, with MS of latency per request:
 * the back-fill (runs until every scope has been pulled once, or has completed its back-fill:
 * time pulling, and time with the runs spaced by the pull's schedule), counted requests per scope,
 * and steady-state counted requests per entity per hour. A back-fill paced to a budget (GitHub's)
 * takes hours by design: its scenario stops it after M real minutes and says so, with how far it
 * came and the time left the pull itself reports.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { runSyncScenario } from './runSyncScenario';
import { SYNC_SCENARIOS } from './scenarios';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const quietLogger: LoggerService = {
  error: (message, meta) => console.error(message, meta ?? ''),
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quietLogger,
};

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

async function main() {
  const entities = Number(option('entities') ?? 2000);
  const latencyMs = Number(option('latency') ?? 150);
  const only = option('scenario');
  const maxMinutes =
    option('max-minutes') === undefined
      ? undefined
      : Number(option('max-minutes'));
  const scenarios = SYNC_SCENARIOS.filter(s => !only || s.name === only);
  if (scenarios.length === 0)
    throw new Error(
      `No scenario '${only}'; known: ${SYNC_SCENARIOS.map(s => s.name).join(
        ', ',
      )}`,
    );
  console.log(`Pull sync: ${entities} entities, ${latencyMs} ms per request`);
  for (const scenario of scenarios) {
    for (const f of await runSyncScenario(scenario, {
      entities,
      latencyMs,
      logger: quietLogger,
      maxMinutes,
    })) {
      console.log(
        [
          `${f.source}.${f.pullId}: ${f.entities} entities in ${f.scopes} scopes`,
          `  back-fill: ${[
            `${f.backfill.runs} runs`,
            `${minutes(f.backfill.pullingMs)} pulling`,
            ...(f.backfill.scheduledMs === undefined
              ? []
              : [`${minutes(f.backfill.scheduledMs)} on its schedule`]),
            `${
              f.backfill.counted
            } counted requests (${f.backfill.countedPerScope.toFixed(
              2,
            )} per scope)`,
            ...(f.backfill.rateLimited
              ? [`${f.backfill.rateLimited} refused by the rate limit`]
              : []),
            ...(f.backfill.failedScopes
              ? [`${f.backfill.failedScopes} scopes failed`]
              : []),
          ].join(', ')}`,
          ...(f.backfill.stoppedAfterMs === undefined
            ? []
            : [
                `  STOPPED by the time bound after ${minutes(
                  f.backfill.stoppedAfterMs,
                )} of pulling: ${f.backfill.backfilledScopes} of ${
                  f.scopes
                } scopes back-filled; the figures above are for that part${
                  f.backfill.backfilledScopes > 0
                    ? `: ${(
                        f.backfill.counted / f.backfill.backfilledScopes
                      ).toFixed(
                        1,
                      )} counted requests per back-filled scope (those of scopes begun but not finished included)${
                        f.backfill.scheduledMs === undefined
                          ? ''
                          : `, and at this pace all ${f.scopes} take about ${(
                              (f.backfill.scheduledMs * f.scopes) /
                              f.backfill.backfilledScopes /
                              3_600_000
                            ).toFixed(1)} h on the schedule`
                      }`
                    : ''
                }`,
              ]),
          f.steady
            ? `  steady state: ${f.steady.counted} counted requests in ${
                f.steady.hours
              } h (${f.steady.runs} runs), ${f.steady.perEntityPerHour.toFixed(
                3,
              )} per entity per hour${
                f.steady.perEntityByHour.length > 1
                  ? ` (hour by hour: ${f.steady.perEntityByHour
                      .map(n => n.toFixed(2))
                      .join(', ')})`
                  : ''
              }`
            : '  steady state: not measured (the back-fill did not complete)',
          `  peak RSS ${f.peakRssMb} MB`,
          ...f.notes.map(note => `  ${note}`),
        ].join('\n'),
      );
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
