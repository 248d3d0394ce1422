import type {Layout} from '../estimate/training/layout.js';
import type {TrainingPrediction} from '../estimate/training/training-scenario.js';
import {CHOICE_KNOBS} from '../estimate/training/search.js';
import type {StepBreakdown, StepEstimate} from '../estimate/training/step-time.js';
import {formatQuantity, percentsApart} from '../render/format-quantity.js';

/** The parts of a step, in the words a reader of a training report knows. */
const PARTS: Array<[keyof StepBreakdown, string]> = [
  ['computeSeconds', 'compute'],
  ['tensorParallelSeconds', 'tensor-parallel all-reduces'],
  ['contextParallelSeconds', 'context-parallel exchange'],
  ['expertParallelSeconds', 'expert-parallel all-to-all'],
  ['pipelineTransferSeconds', 'pipeline transfers'],
  ['pipelineBubbleSeconds', 'pipeline bubble'],
  ['dataParallelSeconds', 'data-parallel gradient exchange'],
  ['optimizerSeconds', 'optimizer step'],
];

/** The one MFU `estimate` prints, and how it is defined (the convention of DeepSeek-V3 and PaLM App. B). */
export const MFU_DEFINITION =
  'model FLOPs per second, attention counted with its causal mask, over the dense BF16 peak';

const SCHEDULE_NAMES: Record<Layout['schedule'], string> = {
  '1f1b': '1F1B',
  interleaved: 'interleaved 1F1B',
  'zero-bubble': 'zero-bubble',
  dualpipe: 'DualPipe',
};

/** Each knob of a layout in words: `pipeline 16`, `micro-batches of 2 sequences`, `no recomputation`. */
function knob(layout: Layout, key: keyof Layout): string {
  switch (key) {
    case 'tp':
      return `tensor ${layout.tp}`;
    case 'pp':
      return `pipeline ${layout.pp}`;
    case 'dp':
      return `data ${layout.dp}`;
    case 'ep':
      return `experts ${layout.ep}`;
    case 'etp':
      return `expert tensor ${layout.etp}`;
    case 'cp':
      return `context ${layout.cp}`;
    case 'zero':
      return `ZeRO stage ${layout.zero}`;
    case 'microBatchSize':
      return `micro-batches of ${layout.microBatchSize} sequence${layout.microBatchSize === 1 ? '' : 's'}`;
    case 'recompute':
      return layout.recompute === 'none' ? 'no recomputation' : `${layout.recompute} recomputation`;
    case 'schedule':
      return `${SCHEDULE_NAMES[layout.schedule]} schedule`;
    case 'virtualStages':
      return `${layout.virtualStages} model chunks per stage`;
    case 'unevenStages':
      return layout.unevenStages ? 'uneven stages' : 'even stages';
  }
}

/** A layout in words: `tensor 1 × pipeline 16 × data 128, experts 64, ZeRO stage 1, micro-batches of 1 sequence, selective recomputation, DualPipe schedule`. */
export function layoutInWords(layout: Layout): string {
  const degrees = [knob(layout, 'tp'), knob(layout, 'pp'), knob(layout, 'dp')];
  if (layout.cp > 1) degrees.push(knob(layout, 'cp'));
  const rest = [
    ...(layout.ep > 1 ? [knob(layout, 'ep')] : []),
    // Only when the experts are split unlike the rest of the layer (Megatron-Core's default is etp = tp).
    ...(layout.etp !== layout.tp ? [knob(layout, 'etp')] : []),
    knob(layout, 'zero'),
    knob(layout, 'microBatchSize'),
    knob(layout, 'recompute'),
    layout.schedule === 'interleaved'
      ? `${knob(layout, 'schedule')} ×${layout.virtualStages}`
      : knob(layout, 'schedule'),
  ];
  return `${degrees.join(' × ')} parallel, ${rest.join(', ')}`;
}

/** Where a layout loses the most time to the best one, and how it differs from it, in words. */
export function whyItLoses(best: StepEstimate, other: StepEstimate): string {
  const [worst, label] = PARTS.reduce((a, b) =>
    other.breakdown[b[0]] - best.breakdown[b[0]] > other.breakdown[a[0]] - best.breakdown[a[0]] ? b : a,
  );
  const seconds = other.breakdown[worst] - best.breakdown[worst];
  const differences = (Object.keys(best.layout) as Array<keyof Layout>)
    .filter((key) => key !== 'dp' && best.layout[key] !== other.layout[key])
    .map(
      (key) =>
        `${knob(other.layout, key)} (not ${knob(best.layout, key).replace(/^(tensor|pipeline|experts|context|ZeRO stage|micro-batches of) /, '')})`,
    );
  return `${differences.join(', ') || 'the same layout'}: ${seconds.toFixed(2)} s more ${label}`;
}

/**
 * The predicted step, its breakdown, utilisation and memory verdict, and
 * the runners-up, as text lines; `statedMfu` (in the MFU of MFU_DEFINITION)
 * is shown beside the predicted one when the scenario states its own.
 */
export function formatPrediction(prediction: TrainingPrediction, statedMfu?: number): string {
  const {step} = prediction;
  const seconds = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} s`;
  const parts = PARTS.filter(([key]) => step.breakdown[key] > 0).map(
    ([key, label]) => `${label} ${seconds(step.breakdown[key])}`,
  );
  const memory = step.memory;
  const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;
  const verdict = memory.fits
    ? `fits, ${gb(memory.headroomBytes)} free`
    : `does not fit by ${gb(-memory.headroomBytes)}`;
  const percent = (fraction: number) => formatQuantity(fraction, 'fraction');
  const lines = [
    `Predicted step: ${layoutInWords(step.layout)}`,
    `  ${seconds(step.stepSeconds)} per step of ${step.microBatches} micro-batches = ${parts.join(' + ')}`,
    `  MFU ${percent(step.mfu)} in this step${statedMfu === undefined ? '' : ` (${percent(statedMfu)} stated)`}, the model's point prediction: no lost time, no bias taken out; hardware FLOPs utilisation ${percent(step.hfu)} (recomputed FLOPs included)`,
    `  ${formatQuantity(step.tokensPerSecondPerGpu, 'tokens/s')} per GPU`,
    `  memory per GPU ${gb(memory.totalBytes)} of ${gb(memory.capacityBytes)}: ${verdict} (weights ${gb(memory.weightsBytes)}, gradients ${gb(memory.gradientsBytes)}, optimizer ${gb(memory.optimizerBytes)}, activations ${gb(memory.activationsBytes)}, other ${gb(memory.otherBytes)})`,
    `  ${prediction.layoutsConsidered.toLocaleString('en-US')} layouts considered, ${prediction.layoutsFeasible.toLocaleString('en-US')} fit`,
  ];
  for (const choice of prediction.choices) {
    // The gap and the spread it is judged against take the decimals that tell them apart.
    const [gap, spread] = percentsApart(choice.gap, choice.differenceSpread ?? choice.gap);
    const versus =
      choice.exceedsModelError === undefined
        ? ''
        : `, ${choice.exceedsModelError ? 'beyond' : 'within'} the model's error on a change between two layouts of one setup (up to ${spread} nine times in ten)${choice.exceedsModelError ? '' : ': the model cannot tell them apart'}`;
    // The runner-up is the fastest layout with the other value: it may differ in other knobs too, which the gap includes.
    const others = CHOICE_KNOBS.filter(
      (other) => other !== choice.knob && choice.runnerUpStep.layout[other] !== step.layout[other],
    ).map((other) => knob(choice.runnerUpStep.layout, other));
    const runnerUp = `${knob(choice.runnerUpStep.layout, choice.knob)}${others.length > 0 ? ` (the fastest such layout, which also has ${others.join(', ')})` : ''}`;
    lines.push(`  ${knob(step.layout, choice.knob)} beats ${runnerUp} by ${gap}${versus}`);
  }
  prediction.alternatives.forEach((alternative, index) => {
    lines.push(
      `  ${index + 2}. ${layoutInWords(alternative.step.layout)}: ${seconds(alternative.step.stepSeconds)} (+${(alternative.slowerBy * 100).toFixed(1)}%), ${whyItLoses(step, alternative.step)}`,
    );
  });
  return `${lines.join('\n')}\n`;
}
