// A/B check of the training step model against another git ref: the outputs, compared exactly, and the
// speed of `predictStep`, A and B in alternate windows of one process. For work on the estimator's speed
// (issue #14), where every output must stay bit-identical and the machine is shared (alternate windows
// share its load; separate runs swing by 10% or more).
//
//   node scripts/estimator-ab.mjs [ref] [--layouts N] [--rounds N] [--processes N] [--no-speed]
//
// ref (default HEAD) is the base, A; the working tree is B. Outputs compared, as exact JSON (every number
// by its shortest round-trip text, so -0 and NaN count): `predictStep` and `memoryPerGpu` over N seeded
// random layouts (default 20,000; valid or not) of every model and chip of the catalog, and every
// training scenario's sweep and layout search, on its own chip and on a few others. Speed: `predictStep`
// on the estimator bench's case (bench/estimator.ts: DeepSeek-V3 on 2,048 H800s), in alternating windows
// of 200 ms after a warm-up; the rates are per second of the process's CPU time, and each process prints
// the median of its B/A ratios. An A/A run (identical trees) reads 0.86 to 1.08 from process to process
// (within one, its windows agree to about 2%): how V8 compiled each copy. Read the processes together,
// and trust no difference under about 10%.
// Exits 1 when an output differs.
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : Number(args[at + 1]);
};
const ref = args.find((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--')) ?? 'HEAD';
const layouts = option('--layouts', 20_000);
const rounds = option('--rounds', 20);
const processes = option('--processes', 4);
const speed = !args.includes('--no-speed');

const work = mkdtempSync(path.join(tmpdir(), 'estimator-ab-'));
try {
  // The base's sources, beside the working tree's packages.
  const base = path.join(work, 'base');
  mkdirSync(base);
  const archive = execFileSync('git', ['archive', '--format=tar', ref, 'src'], {cwd: root, maxBuffer: 1 << 30});
  spawnSync('tar', ['-x', '-C', base], {input: archive, stdio: ['pipe', 'inherit', 'inherit']});
  symlinkSync(path.join(root, 'node_modules'), path.join(base, 'node_modules'));
  const entry = path.join(work, 'entry.ts');
  writeFileSync(entry, entrySource());
  // `a:` and `b:` name a module of the base's sources and of the working tree's.
  const trees = {a: path.join(base, 'src'), b: path.join(root, 'src')};
  const outfile = path.join(work, 'entry.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    external: ['playwright-core'],
    banner: {js: "import {createRequire} from 'node:module'; const require = createRequire(import.meta.url);"},
    plugins: [
      {
        name: 'trees',
        setup(builder) {
          builder.onResolve({filter: /^[ab]:/}, ({path: request}) => ({
            path: path.join(trees[request[0]], request.slice(2)).replace(/\.js$/, '.ts'),
          }));
        },
      },
    ],
  });
  // The outputs, then the speed in a process of its own: the comparison's varied layouts leave the
  // estimator's type feedback unlike the bench's (B measured 0.58 of an identical A after them).
  const compare = spawnSync(process.execPath, [outfile, root, String(layouts), '0', ref], {stdio: 'inherit'});
  // Several processes, half of them warming B first: how V8 compiles each copy moves the ratio by up to
  // about 14% with identical trees (A/A read 0.86 in one process, 1.08 in another).
  if (speed)
    for (let process_ = 0; process_ < processes; process_++)
      spawnSync(process.execPath, [outfile, root, '-1', String(rounds), ref, process_ % 2 === 0 ? 'a' : 'b'], {
        stdio: 'inherit',
      });
  process.exitCode = compare.status ?? 1;
} finally {
  rmSync(work, {recursive: true, force: true});
}

/** The program that compares the two trees, `a:` the base's modules and `b:` the working tree's. */
function entrySource() {
  return `
import {loadCheckedCatalog} from 'b:check/check-catalog.js';
import {Diagnostics} from 'b:diagnostics/diagnostics.js';
import * as aRates from 'a:estimate/chip-rates.js';
import * as aProfile from 'a:estimate/model-profile.js';
import * as aStep from 'a:estimate/training/step-time.js';
import * as aMemory from 'a:estimate/training/memory.js';
import * as aScenario from 'a:estimate/training/training-scenario.js';
import * as bRates from 'b:estimate/chip-rates.js';
import * as bProfile from 'b:estimate/model-profile.js';
import * as bStep from 'b:estimate/training/step-time.js';
import * as bMemory from 'b:estimate/training/memory.js';
import * as bScenario from 'b:estimate/training/training-scenario.js';

const [root, layoutCount, rounds, ref, warmFirst] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4]), process.argv[5], process.argv[6]];
const exact = (value: unknown) =>
  JSON.stringify(value, (_key, x) =>
    typeof x === 'number' ? (Object.is(x, -0) ? '-0' : 'n' + String(x)) : x instanceof Map ? [...x] : x,
  );
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
const pick = <T,>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const catalog: any = await loadCheckedCatalog(root, new Diagnostics());
let compared = 0;
let differ = 0;
const compare = (label: string, a: () => unknown, b: () => unknown) => {
  const run = (f: () => unknown) => { try { return exact(f()); } catch (error) { return 'throws ' + String(error); } };
  const [outA, outB] = [run(a), run(b)];
  compared++;
  if (outA === outB) return;
  if (++differ <= 3) console.log('differs: ' + label + '\\n  A ' + outA.slice(0, 400) + '\\n  B ' + outB.slice(0, 400));
};

const models = [...catalog.models.values()];
const chips = [...catalog.hardware.values()];
for (let index = 0; index < layoutCount; index++) {
  const model = pick(models);
  const chip = pick(chips);
  const gpus = pick([256, 512, 1024, 2048, 4096, 16384]);
  const seqLen = pick([2048, 4096, 8192, 32768]);
  const setup = {
    gpus, seqLen, globalBatchTokens: pick([1024, 2048, 4096, 15360]) * seqLen, gemmPrecision: pick(['bf16', 'fp8', 'fp16']),
    flashAttention: random() < 0.8, sequenceParallel: random() < 0.7, momentBytes: pick([2, 4]),
    overlapDataParallel: random() < 0.7, overlapTensorParallel: pick([undefined, true, false]),
    overlapContextParallel: pick([undefined, true, false]), cudaGraphs: pick([undefined, 'none', 'partial', 'full']), goodput: 1,
  };
  const [tp, pp, cp] = [pick([1, 2, 4, 8]), pick([1, 2, 4, 8, 16]), pick([1, 1, 2])];
  const schedule = pick(['1f1b', 'interleaved', 'zero-bubble', 'dualpipe']);
  const layout = {
    tp, pp, dp: Math.max(1, gpus / (tp * pp * cp)), ep: pick([1, 2, 4, 8, 16, 32, 64]), etp: pick([1, tp]), cp,
    zero: pick([0, 1, 2, 3]), microBatchSize: pick([1, 2, 4]), recompute: pick(['none', 'selective', 'full']), schedule,
    virtualStages: schedule === 'interleaved' ? pick([2, 3, 4]) : 1, unevenStages: random() < 0.6,
  };
  const [profileA, profileB] = [aProfile.profileModel(model), bProfile.profileModel(model)];
  const [ratesA, ratesB] = [aRates.chipRates(chip), bRates.chipRates(chip)];
  compare('layout ' + exact({model: model.id, chip: chip.id, setup, layout}),
    () => [aStep.predictStep(profileA, setup as any, layout as any, ratesA), aMemory.memoryPerGpu(profileA, setup as any, layout as any, ratesA)],
    () => [bStep.predictStep(profileB, setup as any, layout as any, ratesB), bMemory.memoryPerGpu(profileB, setup as any, layout as any, ratesB)]);
}
if (layoutCount >= 0) {
const otherChips = ['h100-sxm', 'h800-sxm', 'a100-sxm-80gb', 'b200', 'mi300x'].filter((id) => catalog.hardware.has(id));
for (const [id, scenario] of catalog.scenarios) {
  if (scenario.kind !== 'training') continue;
  compare('sweep ' + id, () => aScenario.sweepTraining(catalog, scenario), () => bScenario.sweepTraining(catalog, scenario));
  compare('search ' + id, () => aScenario.searchTraining(catalog, scenario), () => bScenario.searchTraining(catalog, scenario));
  for (const hardware of otherChips)
    compare('search ' + id + ' on ' + hardware, () => aScenario.searchTraining(catalog, scenario, {hardware}),
      () => bScenario.searchTraining(catalog, scenario, {hardware}));
}
console.log('outputs (A = ' + ref + ', B = working tree): ' + compared + ' compared, ' + differ + ' differ');
}

if (rounds > 0) {
  const setup = {gpus: 2048, seqLen: 4096, globalBatchTokens: 15360 * 4096, gemmPrecision: 'fp8', flashAttention: true,
    sequenceParallel: true, momentBytes: 2, overlapDataParallel: true, goodput: 1} as any;
  const layout = {tp: 1, pp: 16, dp: 128, ep: 64, etp: 1, cp: 1, zero: 1, microBatchSize: 1, recompute: 'selective',
    schedule: 'dualpipe', virtualStages: 1, unevenStages: true} as any;
  const [model, chip] = [catalog.models.get('deepseek-v3'), catalog.hardware.get('h800-sxm')];
  const [profileA, ratesA] = [aProfile.profileModel(model), aRates.chipRates(chip)];
  const [profileB, ratesB] = [bProfile.profileModel(model), bRates.chipRates(chip)];
  const a = () => aStep.predictStep(profileA, setup, layout, ratesA).stepSeconds;
  const b = () => bStep.predictStep(profileB, setup, layout, ratesB).stepSeconds;
  // Estimates per second of CPU time over a window of at least ms milliseconds.
  const rate = (estimate: () => number, ms: number) => {
    let count = 0;
    let sum = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    while (performance.now() - start < ms) {
      for (let index = 0; index < 10_000; index++) sum += estimate();
      count += 10_000;
    }
    if (!Number.isFinite(sum)) throw new Error('an estimate was not finite');
    const used = process.cpuUsage(cpu);
    return count / ((used.user + used.system) / 1e6);
  };
  for (const estimate of warmFirst === 'b' ? [b, a] : [a, b]) rate(estimate, 1000);
  const [ratesOfA, ratesOfB, ratios] = [[] as number[], [] as number[], [] as number[]];
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first.
    const first = round % 2 === 0 ? rate(a, 200) : 0;
    const rateB = rate(b, 200);
    const rateA = round % 2 === 0 ? first : rate(a, 200);
    ratesOfA.push(rateA);
    ratesOfB.push(rateB);
    ratios.push(rateB / rateA);
  }
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  const per = (value: number) => Math.round(value).toLocaleString('en-US');
  console.log('predictStep per CPU-second (' + warmFirst!.toUpperCase() + ' warmed first), median of ' + rounds + ' alternating windows: A ' + per(median(ratesOfA)) +
    ', B ' + per(median(ratesOfB)) + '; B/A ' + median(ratios).toFixed(3) + ' (min ' + Math.min(...ratios).toFixed(3) +
    ', max ' + Math.max(...ratios).toFixed(3) + ')');
}
process.exit(differ > 0 ? 1 : 0);
`;
}
