import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Diagnosis } from '@internal/plugin-product-os-common';
import type { AgentConfig } from '@internal/plugin-product-os-backend/src/config';
import { createProductOsStores } from '@internal/plugin-product-os-backend/src/database/createProductOsStores';
import type { OutcomeInput } from '@internal/plugin-product-os-backend/src/database/outcomes/OutcomeStore';
import type { CalibrationModel } from '@internal/plugin-product-os-backend/src/agent/research/calibrationTypes';
import { OutcomeRecalibrator } from '@internal/plugin-product-os-backend/src/agent/outcomes/OutcomeRecalibrator';
import { openBenchDatabase } from './benchDatabase';
import {
  judge,
  pct,
  summarizeVerdicts,
  ScenarioVerdict,
  topSuspectFigures,
} from './evaluate';
import { buildSuite, SPLITS } from './families';
import { replayWithAftermath } from './followAftermath';
import type { Scenario } from './model';
import { replayScenario } from './replay';

/** The development suite the recalibration is judged on; it never feeds the fit. */
const APPLY_SEED = 40_001;
/** The suites whose outcomes feed the fit: training and the other development suite. */
const FIT_SEEDS = [...SPLITS.training, 30_001];

interface Options {
  engine: 'sqlite' | 'postgres';
  config: AgentConfig;
  logger: LoggerService;
  calibration: CalibrationModel;
  verbose: boolean;
  family?: string;
}

/** The outcomes recorded, by basis, and how often their label matched the scenario's truth. */
class OutcomeTally {
  private readonly byBasis = new Map<string, number>();
  private readonly byOutcome = new Map<string, number>();
  private labelled = 0;
  private labelAgrees = 0;
  private decided = 0;
  private rightOutcome = 0;
  private missing = 0;
  private others = 0;
  /** Labels the outcomes got wrong, by what they said and why. */
  private readonly wrong = new Map<string, number>();
  /** Labels of the scenarios' other diagnoses, and how many matched the truth. */
  private otherLabels = 0;
  private otherAgree = 0;

  add(
    scenario: Scenario,
    suspects: { rank: number; change: { externalId: string } }[] | undefined,
    named: boolean,
    outcome: OutcomeInput | undefined,
    others: { outcome: OutcomeInput; topWasCause: boolean }[],
  ) {
    this.others += others.length;
    for (const o of others) {
      if (o.outcome.suspectWasCause === undefined) continue;
      this.otherLabels += 1;
      if (o.outcome.suspectWasCause === o.topWasCause) this.otherAgree += 1;
    }
    if (!outcome) {
      this.missing += 1;
      return;
    }
    const bump = (map: Map<string, number>, key: string) =>
      map.set(key, (map.get(key) ?? 0) + 1);
    bump(this.byBasis, `${outcome.outcome} (${outcome.basis})`);
    bump(this.byOutcome, outcome.outcome);
    const { expected } = scenario;
    const topWasCause = culpritFirst(scenario, suspects);
    if (outcome.suspectWasCause !== undefined) {
      this.labelled += 1;
      if (outcome.suspectWasCause === topWasCause) this.labelAgrees += 1;
      else
        bump(
          this.wrong,
          `${outcome.suspectWasCause ? 'cause' : 'not the cause'} (${
            outcome.basis
          })`,
        );
    }
    if (outcome.outcome !== 'inconclusive') {
      // Verified says the diagnosis was right: its named suspect the cause, or "not enough
      // evidence" where there was no culprit to name.
      const right = named ? topWasCause : expected.type === 'no_culprit';
      this.decided += 1;
      if ((outcome.outcome === 'verified') === right) this.rightOutcome += 1;
    }
  }

  print() {
    console.log('');
    console.log(
      `Outcomes of the labelled diagnoses: ${[...this.byOutcome]
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}`,
    );
    for (const [key, count] of [...this.byBasis].sort((a, b) => b[1] - a[1]))
      console.log(`  ${key.padEnd(46)} ${count}`);
    console.log(
      `  (${this.missing} labelled scenarios without a diagnosis to judge; ${this.others} outcomes of other diagnoses, false alarms, also recorded)`,
    );
    console.log(
      `Labels (was the top suspect the cause?) agreeing with the scenario's truth: ${pct(
        this.labelAgrees,
        this.labelled,
      )}${[...this.wrong].map(([k, n]) => `; ${n} wrongly ${k}`).join('')}`,
    );
    console.log(
      `  Labels of the other diagnoses the fit reads too (dependencies' anomalies, false alarms) agreeing with the truth: ${pct(
        this.otherAgree,
        this.otherLabels,
      )}`,
    );
    console.log(
      `Verified/refuted agreeing with the truth (was the diagnosis right?):     ${pct(
        this.rightOutcome,
        this.decided,
      )}`,
    );
  }
}

/**
 * Learning from outcomes, measured: the training suites and development suite 30001 are
 * replayed, each diagnosis followed by its aftermath and judged by the real `OutcomeEvaluator`;
 * the recalibrator is fitted from those outcomes; then development suite 40001 is replayed with
 * recalibration off and on, and its figures compared. Quiet weeks are left out: they have no
 * labelled diagnosis to follow, and nothing in them to recalibrate.
 */
export async function measureLearning(options: Options): Promise<void> {
  const suite = (seed: number) =>
    buildSuite(seed).filter(
      s =>
        s.expected.type !== 'quiet' &&
        (!options.family || s.family === options.family),
    );
  const fitDatabase = await openBenchDatabase(options.engine);
  try {
    const stores = await createProductOsStores({
      database: fitDatabase.service,
    });
    const tally = new OutcomeTally();
    for (const seed of FIT_SEEDS) {
      const scenarios = suite(seed);
      console.log(
        `Following ${scenarios.length} scenarios of seeds ${seed}+ to their outcomes`,
      );
      for (const scenario of scenarios) {
        const { diagnosis, aftermath, recorded } = await replayWithAftermath(
          scenario,
          {
            ...options,
            stores,
          },
        );
        const own = diagnosis ? recorded.get(diagnosis.id) : undefined;
        // The scenario's other diagnoses (a dependency's anomaly, false alarms) feed the fit too.
        const others = [];
        for (const o of recorded.values()) {
          if (o === own) continue;
          const other = await stores.diagnoses.getDiagnosis(o.diagnosisId);
          others.push({
            outcome: o,
            topWasCause: culpritFirst(scenario, other?.suspects),
          });
        }
        tally.add(
          scenario,
          diagnosis?.suspects,
          diagnosis?.verdict === 'suspect',
          own,
          others,
        );
        if (options.verbose)
          console.log(
            `  ${scenario.id.padEnd(7)} ${scenario.family.padEnd(24)} ${said(
              scenario,
              diagnosis,
            )}; ${aftermath.story.join(', ')} -> ${
              own ? `${own.outcome} (${own.basis})` : 'no outcome'
            }`,
          );
      }
    }
    tally.print();

    const recalibrator = new OutcomeRecalibrator({ outcomes: stores.outcomes });
    const fitted = await recalibrator.current();
    console.log('');
    console.log('Recalibration fitted from those outcomes (top suspects):');
    for (const bin of fitted.bins)
      console.log(
        `  ${bin.from.toFixed(1)}-${bin.to.toFixed(1)}: ${String(
          bin.outcomes,
        ).padStart(4)} outcomes, ${String(bin.causes).padStart(
          4,
        )} causes, mean confidence ${bin.predicted.toFixed(
          2,
        )}, target ${bin.target.toFixed(2)}, shift ${bin.shift.toFixed(
          2,
        )} log-odds`,
      );

    const off = await applySuite(suite(APPLY_SEED), options, undefined);
    const on = await applySuite(suite(APPLY_SEED), options, recalibrator);
    console.log('');
    console.log(
      `Development seeds ${APPLY_SEED}+ (${off.scenarios} labelled scenarios), recalibration off -> on:`,
    );
    const row = (name: string, a: string, b: string) =>
      console.log(`  ${name.padEnd(44)} ${a.padStart(16)} -> ${b}`);
    row(
      'ECE of the top suspects (10 bins)',
      off.ece.toFixed(3),
      on.ece.toFixed(3),
    );
    row('Top-1 suspect accuracy', off.top1, on.top1);
    row('"Not enough evidence" on no-culprit cases', off.nee, on.nee);
    row(
      'Highest confidence of a wrong top suspect',
      off.maxWrong.toFixed(2),
      on.maxWrong.toFixed(2),
    );
    row(
      'Wrong top suspects above 0.9',
      String(off.wrongAbove90),
      String(on.wrongAbove90),
    );
  } finally {
    await fitDatabase.close();
  }
}

/** One replay of the judged suite in a database of its own, with or without recalibration. */
async function applySuite(
  scenarios: Scenario[],
  options: Options,
  recalibration: OutcomeRecalibrator | undefined,
) {
  const database = await openBenchDatabase(options.engine);
  try {
    const stores = await createProductOsStores({ database: database.service });
    const verdicts: ScenarioVerdict[] = [];
    const tops: { confidence: number; culprit: boolean }[] = [];
    for (const scenario of scenarios) {
      const outcome = await replayScenario(scenario, {
        ...options,
        stores,
        recalibration,
      });
      verdicts.push(judge(outcome));
      // The top suspect as saved, after any recalibration: what a reader is shown.
      const suspects = outcome.matched?.diagnosis?.suspects;
      const top = topOf(suspects);
      if (top)
        tops.push({
          confidence: top.confidence,
          culprit: culpritFirst(scenario, suspects),
        });
    }
    const f = summarizeVerdicts(verdicts);
    return {
      scenarios: scenarios.length,
      top1: pct(f.top1, f.culpritScenarios),
      nee: pct(f.notEnoughEvidence, f.noCulpritScenarios),
      ...topSuspectFigures(tops),
    };
  } finally {
    await database.close();
  }
}

/** What a diagnosis said, against the truth, for the verbose lines. */
function said(scenario: Scenario, diagnosis: Diagnosis | undefined): string {
  if (!diagnosis) return 'no diagnosis';
  return `${
    diagnosis.verdict === 'suspect' ? 'named' : 'not enough evidence'
  }, ${
    culpritFirst(scenario, diagnosis.suspects)
      ? 'culprit first'
      : 'culprit not first'
  }`;
}

/** Whether a diagnosis ranked the scenario's culprit first: the truth an outcome's label is about. */
function culpritFirst(
  scenario: Scenario,
  suspects: { rank: number; change: { externalId: string } }[] | undefined,
): boolean {
  return (
    scenario.expected.type === 'culprit' &&
    topOf(suspects)?.change.externalId === scenario.expected.culprit
  );
}

/** The suspect ranked first. */
function topOf<S extends { rank: number }>(suspects: S[] | undefined) {
  return [...(suspects ?? [])].sort((a, b) => a.rank - b.rank)[0] as
    | S
    | undefined;
}
