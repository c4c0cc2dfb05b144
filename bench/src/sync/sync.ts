/*
 * Pull sync benchmark (`yarn bench:sync [--scenario NAME] [--entities N] [--latency MS]`).
 *
 * For each scenario (a source's pulls and a local server answering as its vendor, see
 * `SyncScenario.ts`), over N catalog entities on a SQLite store, with MS of latency per request:
 * the back-fill (runs until every scope has been pulled once: time pulling, and time with the
 * runs spaced by the pull's schedule), counted requests per scope, and steady-state counted
 * requests per entity per hour.
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
            ...(f.backfill.failedScopes
              ? [`${f.backfill.failedScopes} scopes failed`]
              : []),
          ].join(', ')}`,
          `  steady state: ${f.steady.counted} counted requests in ${
            f.steady.hours
          } h (${f.steady.runs} runs), ${f.steady.perEntityPerHour.toFixed(
            3,
          )} per entity per hour`,
          `  peak RSS ${f.peakRssMb} MB`,
        ].join('\n'),
      );
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
