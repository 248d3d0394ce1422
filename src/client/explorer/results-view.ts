import {describePoint, outputRange, outputsOf, type AnyEstimate} from '../../estimate/kinds.js';
import type {DemandEstimate} from '../../estimate/demand/demand-scenario.js';
import type {RangedInferenceEstimate} from '../../estimate/inference/inference-ranges.js';
import type {RangedTrainingEstimate} from '../../estimate/training/training-ranges.js';
import {describeLayout} from '../../estimate/training/describe-layout.js';
import {formatQuantity, formatRange, significant} from '../../render/format-quantity.js';
import {el, type Child} from './dom.js';
import type {EngineMessage} from './engine.js';

/**
 * The estimate on the page: the headline numbers and every output of the
 * scenario's kind with its 5th–95th percentile range, formatted as the
 * reports format them; then what the kind explains (the predicted step
 * and memory of a training run, the decode and prefill steps of serving,
 * the demand model's points). No number is shown that is not finite: a
 * missing one reads "–".
 */

/** The outputs shown first, by kind; a kind not listed shows its first four. */
const HEADLINES: Readonly<Record<string, readonly string[]>> = {
  training: ['gpuHours', 'wallClockDays', 'costUsd', 'energyMegawattHours', 'mfu'],
  inference: ['usdPerMillionOutputTokens', 'outputTokensPerSecondPerGpu', 'ttftSeconds', 'tpotSeconds'],
};

/** An output as a report prints it: the median and range when the range is not a point, else the value. */
export function outputText(estimate: AnyEstimate, name: string): string {
  const info = outputsOf(estimate)?.[name];
  if (!info) return '–';
  const range = outputRange(estimate, name);
  return range && range.p5 !== range.p95
    ? formatRange(range, info.unit)
    : formatQuantity(info.read(estimate), info.unit);
}

export function renderEstimate(estimate: AnyEstimate): HTMLElement[] {
  const parts: HTMLElement[] = [];
  const outputs = outputsOf(estimate);
  if (outputs) {
    const names = Object.keys(outputs);
    const headline = (HEADLINES[estimate.kind] ?? names.slice(0, 4)).filter((name) => names.includes(name));
    parts.push(
      el(
        'ul',
        {className: 'key-figures explorer-figures', 'aria-label': 'Headline figures'},
        headline.map((name) =>
          el('li', {className: 'key-figure', 'data-output': name}, [
            el('span', {className: 'key-figure-value'}, [outputText(estimate, name)]),
            el('span', {className: 'key-figure-label'}, [outputs[name]?.label ?? name]),
          ]),
        ),
      ),
    );
    parts.push(
      el('div', {className: 'table-scroll'}, [
        el('table', {className: 'explorer-outputs'}, [
          el('caption', {}, [
            `Every output of ${describePoint(estimate)}: the median and 5th–95th percentiles where inputs are uncertain, and the value at the nominal inputs`,
          ]),
          el('thead', {}, [
            el('tr', {}, [
              el('th', {scope: 'col'}, ['Output']),
              el('th', {scope: 'col'}, ['Estimate']),
              el('th', {scope: 'col'}, ['At nominal inputs']),
            ]),
          ]),
          el(
            'tbody',
            {},
            names.map((name) =>
              el('tr', {'data-output': name}, [
                el('th', {scope: 'row'}, [outputs[name]?.label ?? name]),
                el('td', {}, [outputText(estimate, name)]),
                el('td', {}, [formatQuantity(outputs[name]?.read(estimate), outputs[name]?.unit ?? '')]),
              ]),
            ),
          ),
        ]),
      ]),
    );
  }
  if (estimate.kind === 'training') parts.push(...trainingDetails(estimate));
  else if (estimate.kind === 'inference') parts.push(...inferenceDetails(estimate));
  else if (estimate.kind === 'demand') parts.push(...demandDetails(estimate));
  return parts;
}

/** Notes on an estimate that a reader must not miss: not feasible, extrapolated or beyond the calibration, a precision the chip lacks. */
export function estimateFlags(estimate: AnyEstimate, requestedPrecision: string | undefined): HTMLElement[] {
  const flags: HTMLElement[] = [];
  const infeasible = 'infeasible' in estimate ? estimate.infeasible : undefined;
  if (infeasible) flags.push(flag('warning', 'Not feasible as asked', infeasible));
  if (estimate.kind === 'inference' && estimate.queued) flags.push(flag('note', 'Queued', estimate.queued));
  const extrapolated = extrapolationOf(estimate);
  if (extrapolated) flags.push(flag('extrapolated', 'Extrapolated', extrapolated));
  if (estimate.kind === 'training' && estimate.beyondCalibration.length > 0)
    flags.push(flag('extrapolated', 'Beyond the calibration', estimate.beyondCalibration.join('; ')));
  if (estimate.kind === 'training' && requestedPrecision && estimate.precision !== requestedPrecision) {
    flags.push(
      flag(
        'note',
        'Precision',
        `${estimate.hardwareName} has no ${requestedPrecision.toUpperCase()} rate: its GEMMs run in ${estimate.precision.toUpperCase()}, as the reports' sweeps run them`,
      ),
    );
  }
  return flags;
}

/**
 * Whether the estimate says it is outside the range the estimator was
 * calibrated on, and why: the core marks such estimates `extrapolated`
 * (true, a reason, or a list of reasons), as the reports flag them.
 */
export function extrapolationOf(estimate: AnyEstimate): string | undefined {
  const mark = (estimate as {extrapolated?: unknown}).extrapolated;
  if (mark === true) {
    // As the CLI says it: a predicted step on a chip whose matmul rate was not measured.
    const basis = (estimate as {prediction?: {rateBasis?: unknown}}).prediction?.rateBasis;
    return typeof basis === 'string'
      ? `the chip's matmul rate is extrapolated, not measured (${basis}): its ranges are wider`
      : 'outside the range the estimator was calibrated on';
  }
  if (typeof mark === 'string' && mark !== '') return mark;
  if (Array.isArray(mark) && mark.length > 0) return mark.map(String).join('; ');
  if (mark && typeof mark === 'object') {
    const reason = (mark as {reason?: unknown; reasons?: unknown}).reason ?? (mark as {reasons?: unknown}).reasons;
    if (typeof reason === 'string') return reason;
    if (Array.isArray(reason)) return reason.map(String).join('; ');
    return 'outside the range the estimator was calibrated on';
  }
  return undefined;
}

function flag(kind: string, title: string, text: string): HTMLElement {
  return el('p', {className: `explorer-flag explorer-flag-${kind}`}, [el('strong', {}, [`${title}: `]), text]);
}

const BREAKDOWN_LABELS: Readonly<Record<string, string>> = {
  computeSeconds: 'Compute',
  tensorParallelSeconds: 'Tensor-parallel all-reduces',
  contextParallelSeconds: 'Context-parallel exchange',
  expertParallelSeconds: 'Expert-parallel all-to-all',
  pipelineTransferSeconds: 'Pipeline transfers',
  pipelineBubbleSeconds: 'Pipeline bubble',
  dataParallelSeconds: 'Data-parallel gradient exchange',
  optimizerSeconds: 'Optimizer step',
};

const MEMORY_LABELS: Readonly<Record<string, string>> = {
  weightsBytes: 'Weights',
  gradientsBytes: 'Gradients',
  optimizerBytes: 'Optimizer states',
  activationsBytes: 'Activations',
  otherBytes: 'Logits and reserve',
};

/** `fooBarSeconds` → "Foo bar": a part the tables above do not name yet. */
function words(name: string): string {
  const text = name
    .replace(/(Seconds|Bytes)$/, '')
    .replace(/([A-Z])/g, ' $1')
    .toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function trainingDetails(estimate: RangedTrainingEstimate): HTMLElement[] {
  const source =
    estimate.mfuSource === 'stated'
      ? `The MFU is the scenario's stated ${formatQuantity(estimate.mfu, 'fraction')}; time and cost follow from it.`
      : `The MFU is predicted from the step below (times the goodput): ${formatQuantity(estimate.mfu, 'fraction')}.`;
  const parts: HTMLElement[] = [el('p', {className: 'explorer-note'}, [source])];
  const prediction = estimate.prediction;
  if (!prediction) {
    parts.push(
      el('p', {className: 'explorer-note'}, [
        estimate.mfuSource === 'stated'
          ? 'No layout is given, so no step is predicted. Give a parallel layout to see the step and the memory per GPU.'
          : 'No layout fits in memory: no step can be predicted.',
      ]),
    );
    return parts;
  }
  const {step} = prediction;
  const seconds = (value: number) => formatQuantity(value, 's');
  const breakdown = Object.entries(step.breakdown).filter(([, value]) => typeof value === 'number' && value > 0);
  const memory = step.memory;
  const gb = (bytes: number) => formatQuantity(bytes, 'bytes');
  const verdict = memory.fits
    ? `Fits: ${gb(memory.totalBytes)} of ${gb(memory.capacityBytes)} per GPU, ${gb(memory.headroomBytes)} free`
    : `Does not fit: ${gb(memory.totalBytes)} of ${gb(memory.capacityBytes)} per GPU, ${gb(-memory.headroomBytes)} too much`;
  parts.push(
    el('h3', {}, ['The predicted step']),
    el('p', {}, [
      `${describeLayout(step.layout)}: ${seconds(step.stepSeconds)} per step of ${step.microBatches.toLocaleString('en-US')} micro-batches, `,
      `MFU ${formatQuantity(step.mfu, 'fraction')} (causal attention FLOPs over the BF16 dense peak; ${formatQuantity(step.mfuNonCausal, 'fraction')} non-causal), HFU ${formatQuantity(step.hfu, 'fraction')}. `,
      `${prediction.layoutsConsidered.toLocaleString('en-US')} layouts considered, ${prediction.layoutsFeasible.toLocaleString('en-US')} fit.`,
    ]),
    el('div', {className: 'table-scroll'}, [
      el('table', {className: 'explorer-breakdown'}, [
        el('caption', {}, ['Where the step goes (at the nominal inputs; the parts sum to the step)']),
        el('thead', {}, [
          el('tr', {}, [
            el('th', {scope: 'col'}, ['Part']),
            el('th', {scope: 'col'}, ['Time']),
            el('th', {scope: 'col'}, ['Share of the step']),
          ]),
        ]),
        el('tbody', {}, [
          ...breakdown.map(([name, value]) =>
            el('tr', {}, [
              el('th', {scope: 'row'}, [BREAKDOWN_LABELS[name] ?? words(name)]),
              el('td', {}, [seconds(value)]),
              el('td', {}, [formatQuantity(value / step.stepSeconds, 'fraction', 2)]),
            ]),
          ),
          el('tr', {}, [
            el('th', {scope: 'row'}, ['Step']),
            el('td', {}, [seconds(step.stepSeconds)]),
            el('td', {}, ['100%']),
          ]),
        ]),
      ]),
    ]),
    el('h3', {}, ['Memory per GPU']),
    el('p', {className: memory.fits ? 'explorer-verdict' : 'explorer-verdict explorer-verdict-no'}, [verdict]),
    el('div', {className: 'table-scroll'}, [
      el('table', {className: 'explorer-memory'}, [
        el('caption', {}, ['Memory per GPU on the busiest pipeline stage']),
        el('tbody', {}, [
          ...Object.entries(MEMORY_LABELS).map(([name, label]) =>
            el('tr', {}, [
              el('th', {scope: 'row'}, [label]),
              el('td', {}, [gb((memory as unknown as Record<string, number>)[name] ?? Number.NaN)]),
            ]),
          ),
          el('tr', {}, [el('th', {scope: 'row'}, ['Total']), el('td', {}, [gb(memory.totalBytes)])]),
        ]),
      ]),
    ]),
  );
  if (prediction.alternatives.length > 0) {
    parts.push(
      el('h3', {}, ['The runners-up']),
      el(
        'ol',
        {className: 'explorer-alternatives'},
        prediction.alternatives.map((alternative) =>
          el('li', {}, [
            `${describeLayout(alternative.step.layout)}: ${seconds(alternative.step.stepSeconds)} (+${significant(alternative.slowerBy * 100, 2)}%), ${alternative.reason}`,
          ]),
        ),
      ),
    );
  }
  return parts;
}

function inferenceDetails(estimate: RangedInferenceEstimate): HTMLElement[] {
  // The lines `tradeoffs estimate` prints under an inference estimate (src/cli/commands/estimate.ts).
  const {peak, prefill, decodeMemory} = estimate.serving;
  const step = peak.step;
  const ms = (value: number) => formatQuantity(value, 's');
  const units = !estimate.disaggregated
    ? `${estimate.decodeGpus.toLocaleString('en-US')} × ${estimate.hardwareName}`
    : `prefill on ${estimate.prefillGpus.toLocaleString('en-US')}, decode on ${estimate.decodeGpus.toLocaleString('en-US')} × ${estimate.hardwareName}`;
  return [
    el('h3', {}, ['The serving steps']),
    el('p', {}, [`Served on ${units}, at the nominal inputs.`]),
    el('ul', {className: 'explorer-steps'}, [
      el('li', {}, [
        `Decode step at peak, ${Math.round(peak.batch).toLocaleString('en-US')} sequences × ${Math.round(estimate.contextTokens).toLocaleString('en-US')} tokens of context: ${ms(step.totalSeconds)} on the GPUs `,
        `(dense GEMMs ${ms(step.denseGemmSeconds)}, attention ${ms(step.attentionSeconds)}, expert GEMMs ${ms(step.expertGemmSeconds)}, `,
        `all-to-all ${ms(step.expertParallelSeconds)} less ${ms(step.hiddenSeconds)} overlapped, all-reduce ${ms(step.tensorParallelSeconds)}, other ${ms(step.elementwiseSeconds + step.overheadSeconds)}); `,
        `weights ${formatQuantity(decodeMemory.weightBytesPerGpu, 'bytes')} and KV cache ${formatQuantity(decodeMemory.kvCacheBytesPerGpu, 'bytes')} per GPU.`,
      ]),
      el('li', {}, [
        `Prefill pass of ${prefill.tokensPerPass.toLocaleString('en-US')} prompt tokens per attention group: ${ms(prefill.passSeconds)}; `,
        `time to first token ${ms(estimate.ttftSeconds)} mean at the stated load, ${ms(estimate.ttftP90Seconds)} at the 90th percentile at peak.`,
      ]),
      el('li', {}, [
        `Largest batch that fits: ${estimate.largestBatch.toLocaleString('en-US')} sequences; longest context for one sequence: ${formatQuantity(estimate.largestContext, 'tokens')}.`,
      ]),
    ]),
  ];
}

function demandDetails(estimate: DemandEstimate): HTMLElement[] {
  const ratio = (range: {p5: number; p50: number; p95: number} | undefined, nominal: number): Child =>
    range ? formatRange(range, 'times') : formatQuantity(nominal, 'times');
  return [
    el('p', {}, [
      `Elasticity ${significant(estimate.elasticity)}, pass-through ${formatQuantity(estimate.passThrough, 'fraction')}: compute rises when elasticity × pass-through exceeds 1 (break-even elasticity ${significant(estimate.breakEvenElasticity)}).`,
    ]),
    el('div', {className: 'table-scroll'}, [
      el('table', {className: 'explorer-demand'}, [
        el('caption', {}, [
          'Compute and capability after an efficiency gain, against before (median and 5th–95th percentiles)',
        ]),
        el('thead', {}, [
          el('tr', {}, [
            el('th', {scope: 'col'}, ['Efficiency gain']),
            el('th', {scope: 'col'}, ['Compute after / before']),
            el('th', {scope: 'col'}, ['Capability after / before']),
            el('th', {scope: 'col'}, ['Chance compute rises']),
          ]),
        ]),
        el(
          'tbody',
          {},
          estimate.points.map((point) =>
            el('tr', {}, [
              el('th', {scope: 'row'}, [formatQuantity(point.efficiencyFactor, 'times')]),
              el('td', {}, [ratio(point.computeRatio, point.nominal.computeRatio)]),
              el('td', {}, [ratio(point.capabilityRatio, point.nominal.capabilityRatio)]),
              el('td', {}, [formatQuantity(point.probabilityComputeRises, 'fraction')]),
            ]),
          ),
        ),
      ]),
    ]),
  ];
}

/** The problems of the reader's scenario, as the CLI prints them: file, line and column, severity, text, rule. */
export function renderMessages(messages: readonly EngineMessage[]): HTMLElement {
  return el(
    'ul',
    {className: 'explorer-messages'},
    messages.map((message) =>
      el('li', {className: `explorer-message explorer-message-${message.severity}`}, [
        el('code', {}, [`${message.file}${message.line !== undefined ? `:${message.line}:${message.column}` : ''}`]),
        ` ${message.severity} `,
        message.reason,
        el('span', {className: 'explorer-rule'}, [` ${message.ruleId}`]),
      ]),
    ),
  );
}
