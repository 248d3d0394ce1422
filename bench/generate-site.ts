/**
 * A generated project for the build benchmarks: the
 * default `data/` (copied) and ten report templates, each with frontmatter,
 * prose, a GFM table, `<Estimate>`s and `<KeyFigures>`, and five charts of
 * different kinds (bars over a training sweep, a line over GPU counts, a
 * scatter of serving curves, a layered band of the demand model, small
 * multiples faceted by chip) whose data come from `sweep()` and `estimate()`
 * of the default scenarios, so that the evaluate and chart stages do real
 * work. Deterministic: the same seed writes the same files.
 * Try it with `npx tsx -e "import('./bench/generate-site.ts').then((m) => m.generateSite('.')).then(console.log)"`
 * and build the folder it prints with `node dist/cli.js build --root <folder>`.
 */
import {cp, mkdir, mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
// The estimator's mulberry32: the same seed writes the same site.
import {seededRandom} from '../src/uncertain/random.js';

export interface GenerateOptions {
  /** Reports to write (default 10). */
  readonly reports?: number;
  /** Seed of the choices (default 8). */
  readonly seed?: number;
  /** Where to write the project (default: a new temporary folder). */
  readonly into?: string;
}

export interface GeneratedSite {
  /** The project folder: `data/` and `templates/`. */
  readonly root: string;
  readonly reports: number;
  readonly charts: number;
}

/** Charts each generated report draws. */
export const CHARTS_PER_REPORT = 5;

/** Training scenarios of the default data that sweep the seven chips. */
const TRAINING = [
  {id: 'deepseek-v3-best-layout-by-chip', about: "DeepSeek-V3's pre-training on each chip's best layout"},
  {id: 'deepseek-v3-layout-by-chip', about: "DeepSeek-V3's pre-training on DeepSeek's H800 layout"},
  {id: 'efficiency-deepseek-v3', about: "DeepSeek-V3's pre-training with parts of its recipe taken away"},
  {id: 'deepseek-v3-precision-by-chip', about: 'FP8 against BF16 GEMMs on each chip'},
  {id: 'deepseek-v3-techniques-by-chip', about: 'sets of training techniques on each chip'},
] as const;
const SERVING = [
  {id: 'inference-deepseek-v3-single-node', about: 'DeepSeek-V3 served on one node'},
  {id: 'inference-gpt-3-175b-serving', about: 'GPT-3 175B served with tensor parallelism'},
  {id: 'llama-3.1-405b-serving', about: 'Llama 3.1 405B served with tensor parallelism'},
] as const;
const DEMAND = ['compute-demand-rebound', 'demand-competitive-pricing', 'demand-pricing-power'] as const;
const METRICS = [
  {output: 'wallClockDays', unit: 'days', label: 'Days'},
  {output: 'gpuHours', unit: 'GPU-h', label: 'GPU-hours'},
  {output: 'energyMegawattHours', unit: 'MWh', label: 'Energy (MWh)'},
  {output: 'mfu', unit: 'fraction', label: 'Model FLOPs utilisation'},
] as const;
const SERVING_OUTPUTS = [
  'outputTokensPerSecondPerGpu',
  'tpotSeconds',
  'ttftSeconds',
  'tokensPerSecondPerUser',
] as const;
const CHIPS = ['a100-sxm', 'h100-sxm', 'h800-sxm', 'h200-sxm', 'h20', 'b200-sxm', 'mi300x'] as const;
const GPU_COUNTS = [1024, 1536, 2048, 3072, 4096, 6144, 8192] as const;
const SCHEMES = ['tableau10', 'category10', 'set2', 'dark2'] as const;
const WIDTHS = [440, 480, 520] as const;
const SOURCES = ['deepseek-v3-report', 'deepseek-isca25', 'llama3-herd', 'megatron-2021', 'korthikanti-2022'] as const;

/** Sentences of plain prose, so that MDX parses text of a report's length. */
const PROSE = [
  'Every number on this page is computed from the data files at build time; nothing is typed in by hand.',
  'The ranges are the 5th to 95th percentiles over the uncertain inputs of each scenario, sampled with a fixed seed.',
  'A chip with no sourced rental price has no cost, and it is left out of every chart that needs one.',
  'The layout search enumerates tensor, pipeline, context and expert parallelism, the ZeRO stage, the micro-batch size, recomputation and the schedule, and keeps the fastest layout that fits.',
  'Where the scenario states its efficiency, time follows from it; elsewhere the step is predicted part by part, from the chip\u2019s compute, memory and links.',
  'Energy counts the boards at their rated power for every GPU-hour, with no node overhead.',
  'Serving is modelled as a prefill and a decode unit; the decode batch grows until the per-user speed reaches the target or memory runs out.',
  'The demand model asks whether cheaper capability reduces the compute spent in total, or whether demand takes back more than the saving.',
  'Read the charts together with the tables: each figure has its data beside it, and the spec it was drawn from.',
  'Small differences between chips are within the model\u2019s error, which the calibration page measures against published runs.',
];

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

/** `count` distinct entries of `list`, in the list's order. */
function sample<T>(random: () => number, list: readonly T[], count: number): T[] {
  const indices = list.map((_, index) => index);
  for (let index = indices.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [indices[index], indices[other]] = [indices[other] as number, indices[index] as number];
  }
  return indices
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((index) => list[index] as T);
}

/** Write the project; returns its folder and what it holds. */
export async function generateSite(repoRoot: string, options: GenerateOptions = {}): Promise<GeneratedSite> {
  const reports = options.reports ?? 10;
  const random = seededRandom(options.seed ?? 8);
  const root = options.into ?? (await mkdtemp(path.join(tmpdir(), 'tradeoffs-bench-generated-')));
  await cp(path.join(repoRoot, 'data'), path.join(root, 'data'), {recursive: true});
  await mkdir(path.join(root, 'templates'), {recursive: true});
  for (let index = 1; index <= reports; index++) {
    await writeFile(
      path.join(root, 'templates', `generated-${String(index).padStart(2, '0')}.mdx`),
      generatedTemplate(index, random),
    );
  }
  return {root, reports, charts: reports * CHARTS_PER_REPORT};
}

/** One report: text as a person would write it, with the choices drawn from `random`. */
export function generatedTemplate(index: number, random: () => number): string {
  const training = pick(random, TRAINING);
  const serving = pick(random, SERVING);
  const demand = pick(random, DEMAND);
  const metric = pick(random, METRICS);
  const [chipA, chipB, chipC] = sample(random, CHIPS, 3) as [string, string, string];
  const counts = sample(random, GPU_COUNTS, 4);
  const scheme = pick(random, SCHEMES);
  const width = pick(random, WIDTHS);
  const servingOutput = pick(random, SERVING_OUTPUTS);
  const interactive = Math.floor(random() * CHARTS_PER_REPORT);
  const source = pick(random, SOURCES);
  const prose = (sentences: number) => sample(random, PROSE, sentences).join(' ');
  const live = (chart: number) => (chart === interactive ? '\n  interactive' : '');
  const title = `Generated report ${index}: ${training.about}, and ${serving.about}`;
  return `---
title: ${JSON.stringify(title)}
summary: ${JSON.stringify(`A generated benchmark report: ${training.about}, ${serving.about}, and the demand scenario ${demand}. ${prose(1)}`)}
order: ${index}
key_figure: {scenario: ${training.id}, output: ${metric.output}, hardware: ${chipA}, label: ${JSON.stringify(`${metric.label} on ${chipA}`)}}
---

export const TRAIN = '${training.id}'
export const SERVE = '${serving.id}'
export const DEMAND = '${demand}'
export const METRIC = '${metric.output}'
export const UNIT = '${metric.unit}'
export const LABEL = '${metric.label}'
export const CHIPS = ['${chipA}', '${chipB}', '${chipC}']
export const GPU_COUNTS = [${counts.join(', ')}]
export const short = (name) => name.replace(/^(NVIDIA|AMD) (Instinct )?/, '').replace(/ SXM/, '').replace(/ \\d+GB$/, '')
export const mid = (run, output) => run.ranges?.[output]?.p50 ?? run[output]
export const low = (run, output) => run.ranges?.[output]?.p5 ?? run[output]
export const high = (run, output) => run.ranges?.[output]?.p95 ?? run[output]
export const usable = (run) => run.infeasible === undefined && Number.isFinite(mid(run, METRIC))
export const runs = sweep(TRAIN).filter(usable)
export const dimensions = ['gpus', 'precision', 'technique'].filter((key) => new Set(runs.map((run) => run[key])).size > 1)
export const variantOf = (run) => dimensions.length === 0 ? 'As written' : dimensions.map((key) => key === 'gpus' ? run.gpus.toLocaleString('en-US') + ' GPUs' : key === 'precision' ? run.precision.toUpperCase() : run.technique).join(', ')
export const sweepRows = runs.map((run) => ({chip: short(run.hardwareName), variant: variantOf(run), value: mid(run, METRIC), low: low(run, METRIC), high: high(run, METRIC)}))
export const variants = [...new Set(sweepRows.map((row) => row.variant))]
export const chipOrder = [...new Set(sweepRows.map((row) => row.chip))]
export const ranked = [...runs].sort((a, b) => mid(a, METRIC) - mid(b, METRIC))
export const lowest = ranked[0]
export const highest = ranked[ranked.length - 1]
export const attempt = (point) => { try { return estimate(TRAIN, point) } catch { return undefined } }
export const scalingRows = CHIPS.flatMap((chip) => GPU_COUNTS.map((gpus) => attempt({hardware: chip, gpus}))).filter((run) => run !== undefined && usable(run)).map((run) => ({chip: short(run.hardwareName), gpus: run.gpus, value: mid(run, METRIC)}))
export const serving = sweep(SERVE)
export const curveRows = serving.flatMap((point) => point.batchCurve.map((step) => ({chip: short(point.hardwareName), batch: step.batch, perUser: step.tokensPerSecondPerUser, perGpu: step.tokensPerSecondPerGpu, bound: step.bound})))
export const demand = estimate(DEMAND)
export const demandRows = demand.points.map((point) => ({factor: point.efficiencyFactor, median: point.computeRatio?.p50 ?? point.nominal.computeRatio, low: point.computeRatio?.p5 ?? point.nominal.computeRatio, high: point.computeRatio?.p95 ?? point.nominal.computeRatio}))
export const factors = demandRows.map((row) => row.factor)

# ${title}

${prose(3)} This page follows ${training.about} <Cite id="${source}" />, with
${serving.about} and the demand scenario \`${demand}\`.

<KeyFigures items={[
  {scenario: TRAIN, output: METRIC, hardware: '${chipA}', label: LABEL + ' on ' + short(catalog.chip('${chipA}').name)},
  {scenario: TRAIN, output: 'gpuHours'},
  {scenario: SERVE, output: '${servingOutput}'},
]} />

## The sweep

${prose(2)} Over the {runs.length} points of the sweep, the lowest ${metric.label.toLowerCase()} is
{format(mid(lowest, METRIC), UNIT)} on the {short(lowest.hardwareName)} and the highest
{format(mid(highest, METRIC), UNIT)} on the {short(highest.hardwareName)} (<Ref to="sweep" />).
On the ${chipB} it is <Estimate scenario="${training.id}" output="${metric.output}" hardware="${chipB}" />.

<Chart
  id="sweep"
  caption="${metric.label} at each point of the ${training.id} sweep: medians over the uncertain inputs."${live(0)}
  spec={{
    width: ${width},
    height: {step: variants.length > 1 ? 10 : 24},
    data: {values: sweepRows},
    mark: {type: 'bar'},
    encoding: {
      y: {field: 'chip', type: 'nominal', sort: chipOrder, title: null},
      yOffset: {field: 'variant', sort: variants},
      x: {field: 'value', type: 'quantitative', axis: {tickCount: 5, format: '${metric.unit === 'fraction' ? '.0%' : '~s'}'}, title: LABEL},
      color: {field: 'variant', type: 'nominal', sort: variants, title: null, scale: {scheme: '${scheme}'}, legend: {orient: 'bottom', columns: 2, labelLimit: 260}},
      tooltip: [{field: 'chip'}, {field: 'variant'}, {field: 'value', format: '.3~g'}, {field: 'low', format: '.3~g'}, {field: 'high', format: '.3~g'}],
    },
  }}
/>

| Chip | Point | ${metric.label} |
| :-- | :-- | --: |
| {sweepRows[0].chip} | {sweepRows[0].variant} | {format(sweepRows[0].value, UNIT)} |
| {sweepRows[1].chip} | {sweepRows[1].variant} | {format(sweepRows[1].value, UNIT)} |
| {sweepRows[2].chip} | {sweepRows[2].variant} | {format(sweepRows[2].value, UNIT)} |

## More GPUs

${prose(2)} <Ref to="scaling" /> moves the cluster of three chips from
{GPU_COUNTS[0].toLocaleString('en-US')} to {GPU_COUNTS[GPU_COUNTS.length - 1].toLocaleString('en-US')} GPUs; on
${counts[counts.length - 1]} ${chipC} GPUs the run uses <Estimate scenario="${training.id}" output="energyMegawattHours" hardware="${chipC}" gpus={${counts[counts.length - 1]}} />.

<Chart
  id="scaling"
  caption="${metric.label} against the number of GPUs, for three chips."${live(1)}
  spec={{
    width: ${width},
    height: 240,
    data: {values: scalingRows},
    mark: {type: 'line', point: true},
    encoding: {
      x: {field: 'gpus', type: 'quantitative', scale: {type: 'log', base: 2}, axis: {values: GPU_COUNTS, format: ',d'}, title: 'GPUs'},
      y: {field: 'value', type: 'quantitative', scale: {zero: false}, axis: {tickCount: 5, format: '${metric.unit === 'fraction' ? '.0%' : '~s'}'}, title: LABEL},
      color: {field: 'chip', type: 'nominal', title: null, scale: {scheme: '${scheme}'}},
      tooltip: [{field: 'chip'}, {field: 'gpus'}, {field: 'value', format: '.3~g'}],
    },
  }}
/>

## Serving

${prose(2)} Served as the scenario says, the first chip of the sweep gives
<Estimate scenario="${serving.id}" output="${servingOutput}" /> and
<Estimate scenario="${serving.id}" output="tokensPerSecondPerUser" /> per user. Each point of
<Ref to="serving" /> is one decode batch size.

<Chart
  id="serving"
  caption="Output tokens per second per GPU against tokens per second per user, one point per decode batch size, by chip."${live(2)}
  spec={{
    width: ${width},
    height: 280,
    data: {values: curveRows},
    mark: {type: 'point', filled: true, size: 50},
    encoding: {
      x: {field: 'perUser', type: 'quantitative', axis: {tickCount: 5}, title: 'Tokens per second per user'},
      y: {field: 'perGpu', type: 'quantitative', axis: {tickCount: 5}, title: 'Output tokens per second per GPU'},
      color: {field: 'chip', type: 'nominal', title: null, scale: {scheme: '${scheme}'}},
      shape: {field: 'bound', type: 'nominal', title: 'Bound by'},
      tooltip: [{field: 'chip'}, {field: 'batch'}, {field: 'perUser', format: '.3~g'}, {field: 'perGpu', format: '.3~g'}, {field: 'bound'}],
    },
  }}
/>

<Chart
  id="panels"
  caption="Tokens per second per user against the decode batch, one panel per chip."${live(3)}
  spec={{
    data: {values: curveRows},
    columns: 3,
    facet: {field: 'chip', type: 'nominal', title: null},
    spec: {
      width: 150,
      height: 120,
      mark: {type: 'line', point: true},
      encoding: {
        x: {field: 'batch', type: 'quantitative', scale: {type: 'log', base: 2}, axis: {values: [1, 16, 256, 4096], format: 'd'}, title: 'Batch'},
        y: {field: 'perUser', type: 'quantitative', axis: {tickCount: 4}, title: 'Tokens/s per user'},
        tooltip: [{field: 'chip'}, {field: 'batch'}, {field: 'perUser', format: '.3~g'}],
      },
    },
  }}
/>

<Callout kind="note" title="Generated">
${prose(2)}
</Callout>

## Demand

${prose(2)} In \`${demand}\` compute rises only above an elasticity of
{format(demand.breakEvenElasticity, '').trim()}; <Ref to="demand" /> shows the band.

<Chart
  id="demand"
  caption="Total compute after over before against the efficiency factor: the 5th–95th percentile band, the median, and no change (dashed)."${live(4)}
  spec={{
    width: ${width},
    height: 260,
    layer: [
      {
        data: {values: demandRows},
        mark: {type: 'area', opacity: 0.25},
        encoding: {
          x: {field: 'factor', type: 'quantitative', scale: {type: 'log'}, axis: {values: factors}, title: 'Efficiency factor'},
          y: {field: 'low', type: 'quantitative', scale: {type: 'log'}, axis: {values: [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30]}, title: 'Compute, after / before'},
          y2: {field: 'high'},
        },
      },
      {
        data: {values: demandRows},
        mark: {type: 'line', point: true},
        encoding: {
          x: {field: 'factor', type: 'quantitative'},
          y: {field: 'median', type: 'quantitative'},
          tooltip: [{field: 'factor'}, {field: 'median', format: '.3~g'}, {field: 'low', format: '.3~g'}, {field: 'high', format: '.3~g'}],
        },
      },
      {
        data: {values: [{ratio: 1}]},
        mark: {type: 'rule', strokeDash: [4, 4]},
        encoding: {y: {field: 'ratio', type: 'quantitative'}},
      },
    ],
  }}
/>

## Assumptions

${prose(3)}

<Assumptions />
`;
}
