import { readAgentConfig } from '../../config';
import { DatabaseProductOsStore } from '../../database/DatabaseProductOsStore';
import { benchLogger, openBenchDatabase } from './benchDatabase';
import { buildSuite } from './families';
import { replayScenario, StaticEntityContexts } from './replay';
import { detectSignals } from '../detect/detectAnomalies';
import { researchAnomaly } from '../research/researchAnomaly';

async function main() {
  const id = process.argv[2];
  const config = readAgentConfig();
  const db = await openBenchDatabase('sqlite');
  const store = await DatabaseProductOsStore.create({ database: db.service });
  const scenario = buildSuite(Number(process.argv[3] ?? 1)).find(s => s.id === id)!;
  console.log(scenario.description, scenario.expected, new Date((scenario.expected as any).onsetAt ?? 0).toISOString());
  const out = await replayScenario(scenario, { store, config, logger: benchLogger(false) });
  for (const a of out.anomalies) console.log('anomaly', a.entityRef, a.kinds, a.onsetAt, a.magnitude);
  const ctx = new StaticEntityContexts(scenario.entities);
  const main = await ctx.get(scenario.entities[0].entityRef);
  console.log('entity', main);
  if (process.argv[4] === 'metrics') {
    const onset = (scenario.expected as any).onsetAt;
    for (const d of [7, 6, 5, 1, 0]) await metricsDump(store, main.entityRef, onset - d * 86400000 - 3 * 3600000, onset - d * 86400000 + 4 * 3600000);
  }
  for (let t = scenario.evaluateFrom; t <= scenario.evaluateTo; t += 3600_000) {
    const sig = await detectSignals(store, main, t, config);
    console.log(new Date(t).toISOString(), sig.map(s => `${s.kind} ${s.description}`).join(' | '));
  }
  if (out.matched) {
    const rec = (await store.getAnomalyRecord(out.matched.anomaly.id))!;
    const deps = await Promise.all(main.dependsOn.map(d => ctx.get(d)));
    const r = await researchAnomaly({ store, anomaly: rec, entity: main, dependencies: deps, now: scenario.evaluateTo, config });
    console.log('onset', new Date(rec.onsetAt).toISOString(), 'unc', r.details.onsetUncertaintyMs / 60000, 'groups', r.groups.map(g => [g.group.title, g.share.toFixed(2), g.group.topFrames.map(f => f.filename).join(' > ')]));
    for (const s of r.suspects.slice(0, 5)) {
      console.log(s.candidate.change.externalId, s.candidate.upstream ? 'UP' : '', s.score.toFixed(2), s.confidence.toFixed(2), new Date(s.candidate.liveAt).toISOString().slice(11,16), s.features.map(f => `${f.name}=${f.value.toFixed(2)}`).join(' '), s.candidate.files.join(','));
    }
    console.log(out.matched.diagnosis?.summary);
    console.log(out.matched.diagnosis?.nextStep, out.matched.diagnosis?.actionability, out.matched.diagnosis?.reviewers);
  }
  await db.close();
}
main();
export async function metricsDump(store: any, ref: string, from: number, to: number) {
  const pts = await store.getMetricPoints(ref, { from, to });
  for (const p of pts) console.log(p.metric, new Date(p.bucketStart).toISOString(), p.count);
}
