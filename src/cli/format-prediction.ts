import {describeLayout} from '../estimate/training/describe-layout.js';
import type {TrainingPrediction} from '../estimate/training/training-scenario.js';
import type {StepBreakdown} from '../estimate/training/step-time.js';
import {formatQuantity} from '../render/format-quantity.js';

const PARTS: Array<[keyof StepBreakdown, string]> = [
  ['computeSeconds', 'compute'],
  ['tensorParallelSeconds', 'TP all-reduce'],
  ['contextParallelSeconds', 'CP exchange'],
  ['expertParallelSeconds', 'EP all-to-all'],
  ['pipelineTransferSeconds', 'PP transfers'],
  ['pipelineBubbleSeconds', 'pipeline bubble'],
  ['dataParallelSeconds', 'DP gradients'],
  ['optimizerSeconds', 'optimizer'],
];

/** The predicted step, its breakdown, utilisation and memory verdict, and the runners-up, as text lines. */
export function formatPrediction(prediction: TrainingPrediction): string {
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
  const lines = [
    `Predicted step: ${describeLayout(step.layout)}`,
    `  ${seconds(step.stepSeconds)} per step of ${step.microBatches} micro-batches = ${parts.join(' + ')}`,
    `  MFU ${formatQuantity(step.mfu, 'fraction')} (causal attention FLOPs, bf16 dense peak; ${formatQuantity(step.mfuNonCausal, 'fraction')} non-causal), HFU ${formatQuantity(step.hfu, 'fraction')}`,
    `  ${formatQuantity(step.tokensPerSecondPerGpu, 'tokens/s')} per GPU`,
    `  memory per GPU ${gb(memory.totalBytes)} of ${gb(memory.capacityBytes)}: ${verdict} (weights ${gb(memory.weightsBytes)}, gradients ${gb(memory.gradientsBytes)}, optimizer ${gb(memory.optimizerBytes)}, activations ${gb(memory.activationsBytes)}, other ${gb(memory.otherBytes)})`,
    `  ${prediction.layoutsConsidered.toLocaleString('en-US')} layouts considered, ${prediction.layoutsFeasible.toLocaleString('en-US')} fit`,
  ];
  for (const choice of prediction.choices) {
    const versus =
      choice.exceedsModelError === undefined
        ? ''
        : choice.exceedsModelError
          ? `, more than the model's ${formatQuantity(choice.modelError as number, 'fraction')} error`
          : `, within the model's ${formatQuantity(choice.modelError as number, 'fraction')} error: the model cannot tell them apart`;
    lines.push(
      `  ${choice.knob} ${String(choice.best)} beats ${String(choice.runnerUp)} by ${(choice.gap * 100).toFixed(1)}%${versus}`,
    );
  }
  prediction.alternatives.forEach((alternative, index) => {
    lines.push(
      `  ${index + 2}. ${describeLayout(alternative.step.layout)}: ${seconds(alternative.step.stepSeconds)} (+${(alternative.slowerBy * 100).toFixed(1)}%), ${alternative.reason}`,
    );
  });
  return `${lines.join('\n')}\n`;
}
