/*
 * The diagnosis benchmark: every labelled scenario through the real detection and research code
 * against a real database, then the latency of one anomaly with 5,000 changes in its window.
 *
 *   yarn bench:diagnosis              SQLite (a database file in a temporary directory)
 *   yarn bench:diagnosis --pg         PostgreSQL (a fresh database on the local server, dropped after)
 *   yarn bench:diagnosis --fit        first refit the confidence calibration on training seeds
 *   --split=training|held-out  one split only (both by default); --fit fits on training only
 *   --family=<name>  one family only; --verbose  every scenario, not only the misses (the
 *                    held-out split prints its totals only, unless --verbose);
 *   --seed-base=<n>  one suite of the families from another seed (for development)
 *   --dump=<file>    write every scenario's labelled candidates with their features (JSON), to
 *                    study what drives the confidences; not for the held-out split
 *   --aftermath      instead, learning from outcomes: follow the diagnoses of the training seeds
 *                    and development seeds 30001 to their outcomes, fit the recalibration on
 *                    them, and compare development seeds 40001 with it off and on
 *                    (learnFromOutcomes.ts; --family and --verbose apply)
 */
import fs from 'fs';
import { readAgentConfig } from '@internal/plugin-product-os-backend/src/config';
import { createProductOsStores } from '@internal/plugin-product-os-backend/src/database/createProductOsStores';
import {
  brierScore,
  fitCalibration,
  probability,
  reliability,
} from '@internal/plugin-product-os-backend/src/agent/research/calibrate';
import type { CalibrationModel } from '@internal/plugin-product-os-backend/src/agent/research/calibrationTypes';
import { calibrationModel } from '@internal/plugin-product-os-backend/src/agent/research/calibrationModel';
import { benchLogger, openBenchDatabase } from './benchDatabase';
import { buildSuite, SPLITS } from './families';
import {
  judge,
  pct,
  summarizeVerdicts,
  ScenarioVerdict,
  topSuspectFigures,
} from './evaluate';
import { calibrationExamples, writeCalibrationModel } from './fitCalibration';
import { measureLatency } from './latency';
import { replayScenario } from './replay';
import { measureLearning } from './learnFromOutcomes';

async function main() {
  const args = process.argv.slice(2);
  const engine = args.includes('--pg') ? 'postgres' : 'sqlite';
  const verbose = args.includes('--verbose');
  const option = (name: string) =>
    args.find(a => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const family = option('family');
  const split = option('split') ?? 'both';
  const dump = option('dump');
  const heldOutSeed = (SPLITS['held-out'] as readonly number[]).includes(
    Number(option('seed-base')),
  );
  if (dump && (heldOutSeed || (split !== 'training' && !option('seed-base'))))
    throw new Error('--dump is for the training split or a development seed');
  const dumped: unknown[] = [];
  const logger = benchLogger(false);
  const config = readAgentConfig();
  if (args.includes('--aftermath')) {
    await measureLearning({
      engine,
      config,
      logger,
      calibration: calibrationModel,
      verbose,
      family,
    });
    return;
  }

  const database = await openBenchDatabase(engine);
  try {
    const stores = await createProductOsStores({
      database: database.service,
    });
    let calibration: CalibrationModel = calibrationModel;
    if (args.includes('--fit')) {
      const training = SPLITS.training.flatMap(seed => buildSuite(seed));
      const seeds = SPLITS.training
        .map(seed => `${seed}-${seed + buildSuite(seed).length - 1}`)
        .join(', ');
      console.log(
        `Fitting the calibration on ${training.length} training scenarios (seeds ${seeds})`,
      );
      // A database of its own, so the training replays judged afterwards start from nothing.
      const fitDatabase = await openBenchDatabase(engine);
      const examples = [];
      try {
        const fitStores = await createProductOsStores({
          database: fitDatabase.service,
        });
        for (const scenario of training) {
          const outcome = await replayScenario(scenario, {
            stores: fitStores,
            config,
            logger,
          });
          examples.push(
            ...(await calibrationExamples(fitStores, outcome, config)),
          );
        }
      } finally {
        await fitDatabase.close();
      }
      calibration = fitCalibration(examples);
      const fitted = examples.map(e => ({
        ...e,
        confidence: probability(calibration, e),
      }));
      const file = writeCalibrationModel(calibration, {
        seeds,
        scenarios: training.length,
        examples: examples.length,
        culprits: examples.filter(e => e.culprit).length,
        brier: brierScore(fitted),
      });
      console.log(`Wrote ${file}:`, calibration);
    }

    const seedBase = option('seed-base');
    const suites: { name: string; seeds: readonly number[] }[] = seedBase
      ? [{ name: `seeds ${seedBase}+`, seeds: [Number(seedBase)] }]
      : (['training', 'held-out'] as const)
          .filter(name => split === 'both' || split === name)
          .map(name => ({ name, seeds: SPLITS[name] }));
    for (const { name, seeds } of suites) {
      const suite = seeds
        .flatMap(seed => buildSuite(seed))
        .filter(s => !family || s.family === family);
      console.log('');
      console.log(
        `Diagnosis benchmark, ${name} (seeds ${seeds
          .map(s => `${s}+`)
          .join(', ')}) on ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: ${
          suite.length
        } scenarios`,
      );
      const verdicts: ScenarioVerdict[] = [];
      const runMs: number[] = [];
      const judged: JudgedCandidate[] = [];
      const started = Date.now();
      for (const scenario of suite) {
        const outcome = await replayScenario(scenario, {
          stores,
          config,
          logger,
          calibration,
        });
        const verdict = judge(outcome);
        verdicts.push(verdict);
        runMs.push(...outcome.runMs);
        const examples = await calibrationExamples(
          stores,
          outcome,
          config,
          calibration,
        );
        if (dump)
          dumped.push({
            id: scenario.id,
            family: scenario.family,
            expected: scenario.expected.type,
            ok: verdict.ok,
            candidates: examples,
          });
        examples.forEach((e, i) =>
          judged.push({
            confidence: e.confidence,
            culprit: e.culprit,
            top: i === 0,
          }),
        );
        // The held-out split is for reporting: its scenarios are named only when asked, so
        // looking at its totals never shows which cases to tune on.
        const showMisses = name !== 'held-out';
        if (verbose || (showMisses && !verdict.ok)) {
          console.log(
            `${verdict.ok ? 'ok  ' : 'MISS'} ${scenario.id.padEnd(
              7,
            )} ${scenario.family.padEnd(24)} expected ${
              verdict.expected
            }; got ${verdict.got}${
              verdict.falseAlarms
                ? `; ${verdict.falseAlarms} false alarm(s)`
                : ''
            }`,
          );
        }
      }
      printFigures(name, verdicts, runMs, Date.now() - started, judged);
    }
    if (dump) fs.writeFileSync(dump, JSON.stringify(dumped));
    if (!family) {
      const latency = await measureLatency({
        stores,
        config,
        logger,
        changes: 5000,
        repeats: 20,
        calibration,
      });
      console.log(
        `Latency per anomaly, ${
          latency.changesInWindow
        } changes in the window (${
          latency.candidates
        } candidates): median ${quantile(latency.ms, 0.5).toFixed(
          0,
        )} ms, p95 ${quantile(latency.ms, 0.95).toFixed(0)} ms, max ${Math.max(
          ...latency.ms,
        ).toFixed(0)} ms   target < 200 ms${
          latency.correct ? '' : ' (culprit NOT ranked first)'
        }`,
      );
    }
  } finally {
    await database.close();
  }
}

function quantile(values: number[], q: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

interface JudgedCandidate {
  confidence: number;
  culprit: boolean;
  /** The top suspect of its anomaly. */
  top: boolean;
}

function printFigures(
  name: string,
  verdicts: ScenarioVerdict[],
  runMs: number[],
  totalMs: number,
  judged: JudgedCandidate[],
) {
  const f = summarizeVerdicts(verdicts);
  console.log('');
  console.log(`By family (${name}):`);
  for (const family of [...new Set(verdicts.map(v => v.family))]) {
    const mine = verdicts.filter(v => v.family === family);
    console.log(
      `  ${family.padEnd(24)} ${mine.filter(v => v.ok).length}/${
        mine.length
      } correct`,
    );
  }
  console.log('');
  console.log(
    'Calibration on the benchmark seeds (confidence of every candidate vs. how often it was the cause):',
  );
  for (const bin of reliability(judged)) {
    console.log(
      `  ${bin.from.toFixed(1)}-${bin.to.toFixed(1)}: ${String(
        bin.count,
      ).padStart(5)} candidates, mean confidence ${bin.predicted.toFixed(
        2,
      )}, cause ${bin.observed.toFixed(2)}`,
    );
  }
  const tops = judged.filter(j => j.top);
  console.log(
    `  Brier score: all candidates ${brierScore(judged).toFixed(
      3,
    )}, top suspects ${brierScore(tops).toFixed(3)} (${tops.length})`,
  );
  const { ece, wrongAbove90, maxWrong } = topSuspectFigures(tops);
  console.log(
    `ECE of the top suspects (10 bins):         ${ece.toFixed(
      3,
    )}   target <= 0.05`,
  );
  console.log(
    `Wrong top suspects above 0.9 confidence:   ${wrongAbove90} (highest wrong ${maxWrong.toFixed(
      2,
    )})   target 0`,
  );
  console.log('');
  console.log(
    `Top-1 suspect accuracy (named, rank 1):    ${pct(
      f.top1,
      f.culpritScenarios,
    )}   target >= 90 %`,
  );
  console.log(
    `Top-3 suspect accuracy:                    ${pct(
      f.top3,
      f.culpritScenarios,
    )}   target >= 98 %`,
  );
  console.log(
    `  (culprit ranked first at any confidence: ${pct(
      f.rank1,
      f.culpritScenarios,
    )}; anomaly detected: ${pct(f.detected, f.culpritScenarios)})`,
  );
  console.log(
    `"Not enough evidence" on no-culprit cases: ${pct(
      f.notEnoughEvidence,
      f.noCulpritScenarios,
    )}   target >= 90 %`,
  );
  console.log(
    `False alarms per entity-week (quiet):      ${(
      f.quietFalseAlarms / Math.max(f.quietEntityWeeks, 1e-9)
    ).toFixed(2)} (${f.quietFalseAlarms} in ${f.quietEntityWeeks.toFixed(
      1,
    )} entity-weeks)   target <= 1`,
  );
  console.log(
    `  (away from the labelled onset in the other scenarios: ${
      f.labelledFalseAlarms
    } in ${f.labelledEntityWeeks.toFixed(2)} entity-weeks)`,
  );
  console.log(
    `Agent run per entity and step: median ${quantile(runMs, 0.5).toFixed(
      1,
    )} ms, p95 ${quantile(runMs, 0.95).toFixed(1)} ms (${
      runMs.length
    } runs); suite ${(totalMs / 1000).toFixed(1)} s`,
  );
}

// Exits when done: a handle left open by a store or timer must not keep a finished run waiting.
main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
