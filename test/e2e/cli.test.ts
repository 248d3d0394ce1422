import {existsSync} from 'node:fs';
import {appendFile, cp, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {formatRange} from '../../src/render/format-quantity.js';
import {copyProject, editFile, REPO_ROOT, runCli} from '../helpers/project.js';
import {FP16_CHIP_YAML, ON_FP16_CHIP_YAML} from '../helpers/training-fixtures.js';

describe('tradeoffs estimate', () => {
  it('prints the estimate of a scenario with units', () => {
    const result = runCli(['estimate', 'deepseek-v3-pretraining'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "DeepSeek-V3 pre-training, at DeepSeek's measured MFU on 2,048 × NVIDIA H800 SXM 80GB",
    );
    expect(result.stdout).toMatch(/GPU-hours\s+2\.67M GPU-h/);
    expect(result.stdout).toMatch(/Wall-clock time\s+54\.4 days/);
    expect(result.stdout).toMatch(/Cost\s+\$5\.\d+M \(\$4\.6–7\.3M\)/);
    expect(result.stdout).toContain('attention counted with its causal mask, over the dense BF16 peak');
  });

  it('prints every number as JSON with --json', () => {
    const result = runCli(['estimate', 'llama-3.1-405b-pretraining', '--json'], REPO_ROOT);
    expect(result.code).toBe(0);
    const estimate = JSON.parse(result.stdout);
    expect(estimate.scenarioId).toBe('llama-3.1-405b-pretraining');
    expect(estimate.hardwareId).toBe('h100-sxm');
    expect(estimate.gpuHours / 30.84e6).toBeCloseTo(1, 1);
    expect(estimate.parameters.totalParams / 405e9).toBeCloseTo(1, 1);
    expect(estimate.flopsPerToken.attentionCausal * 2).toBe(estimate.flopsPerToken.attentionNonCausal);
  });

  it('runs a scenario on other hardware with --hardware', () => {
    const h800 = JSON.parse(runCli(['estimate', 'deepseek-v3-pretraining', '--json'], REPO_ROOT).stdout);
    const b200 = JSON.parse(
      runCli(['estimate', 'deepseek-v3-pretraining', '--hardware', 'b200-sxm', '--json'], REPO_ROOT).stdout,
    );
    expect(b200.hardwareId).toBe('b200-sxm');
    expect(b200.gpuHours).toBeCloseTo((h800.gpuHours * 989) / 2250, 0);
  });

  it('prints the predicted step and a full layout search with --search, as JSON', () => {
    const result = runCli(['estimate', 'deepseek-v3-pretraining', '--search', '--json'], REPO_ROOT);
    expect(result.code).toBe(0);
    const estimate = JSON.parse(result.stdout);
    expect(estimate.prediction.step.layout).toMatchObject({tp: 1, pp: 16, ep: 64});
    expect(estimate.search.layoutsConsidered).toBeGreaterThan(1000);
    expect(estimate.search.layoutsFeasible).toBeGreaterThan(0);
    const ranked = [
      estimate.search.step,
      ...estimate.search.alternatives.map((alternative: {step: unknown}) => alternative.step),
    ];
    const times = ranked.map((step: {stepSeconds: number}) => step.stepSeconds);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const alternative of estimate.search.alternatives) expect(alternative.reason).toMatch(/s more /);
  });

  it('prints the search as text, with why the runners-up lose', () => {
    const result = runCli(['estimate', 'deepseek-v3-pretraining', '--search'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /Predicted step: tensor 1 × pipeline 16 × data 128 parallel, experts 64, ZeRO stage 1/,
    );
    expect(result.stdout).toMatch(/Search over every layout:\nPredicted step: /);
    expect(result.stdout).toMatch(/[\d,]+ layouts considered, [\d,]+ fit/);
    expect(result.stdout).toMatch(/\n {2}2\. tensor .+: [\d.]+ s \(\+[\d.]+%\), .+ s more /);
  });

  it('shows one MFU, defined once, in words a reader knows', () => {
    const result = runCli(['estimate', 'deepseek-v3-pretraining'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'MFU here: model FLOPs per second, attention counted with its causal mask, over the dense BF16 peak\n',
    );
    expect(result.stdout).toMatch(/\n {2}MFU \(stated\) +38\.9%\n/);
    expect(result.stdout).toMatch(
      /MFU [\d.]+% in this step \(38\.9% stated\), the model's point prediction: no lost time, no bias taken out; hardware FLOPs utilisation/,
    );
    // Only those (below the title, which is the scenario's name): no second convention, no internal names.
    expect(result.stdout.split('\n').slice(1).join('\n').match(/MFU/g)).toHaveLength(3);
    expect(result.stdout).not.toMatch(/non-causal|microBatchSize|none recompute|recompute (full|none|selective)/);
    // A source that counts another way is converted into the one definition, and says so.
    const llama = runCli(['estimate', 'llama-3.1-405b-pretraining'], REPO_ROOT);
    expect(llama.stdout).toMatch(/the source states 34\.6%, counting no attention FLOPs over the BF16 peak/);
    expect(llama.stdout).toMatch(/MFU \(stated, converted\) +3[5-7]/);
  });

  it("prints the model FLOP/s per GPU of the table's MFU, over the same peak, with its range", () => {
    // Red team: the row showed the point prediction (no lost time, no bias taken out: 448 TFLOP/s) beside a
    // predicted MFU of 38.7% of the H800's 989 TFLOP/s (383 TFLOP/s), and beside the tokens per second.
    const result = runCli(['estimate', 'deepseek-v3-pretraining-predicted', '--samples', '200'], REPO_ROOT);
    expect(result.code).toBe(0);
    const flops = /\n {2}Model FLOP\/s per GPU +([\d.]+) TFLOP\/s \(([\d.]+)–([\d.]+) TFLOP\/s\)\n/.exec(result.stdout);
    const mfu = /\n {2}MFU \(predicted[^)]*\) +([\d.]+)% \(([\d.]+)–([\d.]+)%\)\n/.exec(result.stdout);
    expect(flops).not.toBeNull();
    expect(mfu).not.toBeNull();
    for (const index of [1, 2, 3])
      expect(Number(flops?.[index]) / ((Number(mfu?.[index]) / 100) * 989)).toBeCloseTo(1, 1);
  });

  it('says when the chip runs the GEMMs in another precision than the scenario asks', () => {
    // Red team: FP8 on a chip without FP8 ran in BF16 with no word of it (only --json's `precision` said so).
    const a100 = runCli(
      ['estimate', 'deepseek-v3-precision-by-chip', '--hardware', 'a100-sxm', '--precision', 'fp8', '--samples', '20'],
      REPO_ROOT,
    );
    expect(a100.code).toBe(0);
    expect(a100.stdout).toContain('GEMMs in BF16, not FP8 as asked: the NVIDIA A100 SXM 80GB has no FP8\n');
    const h800 = runCli(
      ['estimate', 'deepseek-v3-precision-by-chip', '--precision', 'fp8', '--samples', '20'],
      REPO_ROOT,
    );
    expect(h800.stdout).not.toContain('as asked');
  });

  it("gives a demand scenario's uncertain elasticity and pass-through as ranges, not their modes", () => {
    const result = runCli(['estimate', 'compute-demand-rebound', '--samples', '200'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\nElasticity [\d.]+ \([\d.]+–[\d.]+\), pass-through [\d.]+% \([\d.]+–[\d.]+%\): /);
  });

  it('says one sample, not "1 samples"', () => {
    const result = runCli(['estimate', 'deepseek-v3-pretraining-predicted', '--samples', '1'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Median and 5th–95th percentiles of 1 sample (seed 1)\n');
  });

  it('refuses a --precision the step model has no GEMM rate for, on a predicted scenario', () => {
    const result = runCli(['estimate', 'deepseek-v3-pretraining-predicted', '--precision', 'fp4'], REPO_ROOT);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--precision expects bf16, fp16 or fp8 for a predicted step');
  });

  it("prints a predicted run's goodput as the pages do (its exact percentiles), and says when no time is lost", async () => {
    const diagnostics = new Diagnostics();
    const catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
    const scenario = catalog.scenarios.get('deepseek-v3-pretraining-predicted');
    const goodput =
      scenario && catalog.uncertainty.get(scenario)?.find((leaf) => leaf.path.join('.') === 'goodput.value');
    expect(goodput).toBeDefined();
    const result = runCli(['estimate', 'deepseek-v3-pretraining-predicted'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `include a goodput of ${formatRange(goodput!.distribution.percentiles, 'fraction')} (the scenario's)`,
    );
    expect(result.stdout).toMatch(/MFU \(predicted over the run: lost time counted, the model's bias taken out\)/);
    const none = runCli(['estimate', 'deepseek-v3-pretraining-predicted-no-lost-time'], REPO_ROOT);
    expect(none.stdout).toContain('include a goodput of 100%');
    expect(none.stdout).toMatch(/MFU \(predicted over the run: no lost time, the model's bias taken out\)/);
  });

  it('refuses a GPU count the layout cannot use, naming the nearest counts it can', () => {
    const result = runCli(['estimate', 'deepseek-v3-pretraining', '--gpus', '3000'], REPO_ROOT);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /error +The layout of `deepseek-v3-pretraining` cannot use --gpus 3000: tp × pp × cp = 16 does not divide the 3000 GPUs; expected 2,048 or 3,072 GPUs, the nearest counts it can use/,
    );
    expect(runCli(['estimate', 'deepseek-v3-pretraining', '--gpus', '3072'], REPO_ROOT).stdout).toMatch(
      /Predicted step: /,
    );
  });

  it('refuses a GPU count a stage of a multi-stage run cannot use, naming the stage', () => {
    // Red team: every figure was a dash, exit 0, with no word of why.
    const result = runCli(['estimate', 'llama-3.1-405b-stages', '--gpus', '1000', '--samples', '20'], REPO_ROOT);
    // The nearest counts are those every stage can use: the 128K stages need multiples of tp 8 × cp 16 × pp 16.
    expect(runCli(['estimate', 'llama-3.1-405b-stages', '--gpus', '16000'], REPO_ROOT).stderr).toContain(
      'expected 16,384 GPUs, the nearest counts it can use',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /The layout of `llama-3\.1-405b-stages` cannot use --gpus 1000: stage `pre-training at 8K`: tp × pp × cp = 128 does not divide the 1000 GPUs/,
    );
  });

  it('suggests the nearest scenario id for an unknown one, exit 1', () => {
    const result = runCli(['estimate', 'deepseek-v3-pretrainig'], REPO_ROOT);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /<command line>\n.*error\s+Unknown scenario id `deepseek-v3-pretrainig`, did you mean `deepseek-v3-pretraining`\?\s+unknown-id/,
    );
  });

  it('refuses an unknown hardware id with a suggestion', () => {
    const result = runCli(['estimate', 'deepseek-v3-pretraining', '--hardware', 'mi300'], REPO_ROOT);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Unknown hardware id `mi300`, did you mean `mi300x`\?/);
  });
});

describe('tradeoffs estimate of a serving scenario', () => {
  it("says when the chip's GEMM rate is extrapolated, as for training", () => {
    // Red team: the serving text said nothing of it (only --json's `extrapolated` did).
    const mi300x = runCli(['estimate', 'llama-3.1-405b-serving', '--hardware', 'mi300x', '--samples', '20'], REPO_ROOT);
    expect(mi300x.code).toBe(0);
    expect(mi300x.stdout).toContain('is extrapolated, not measured');
    const h100 = runCli(['estimate', 'llama-3.1-405b-serving', '--samples', '20'], REPO_ROOT);
    expect(h100.stdout).not.toContain('extrapolated');
  });
});

describe('tradeoffs estimate on a serving setup that cannot run', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tradeoffs-estimate-infeasible-'));
    await cp(path.join(REPO_ROOT, 'data'), path.join(work, 'data'), {recursive: true});
    await cp(path.join(REPO_ROOT, 'data', 'scenarios', 'llama-3.1-405b-serving.yaml'), path.join(work, 'long.yaml'));
    await editFile(work, 'long.yaml', 'id: llama-3.1-405b-serving', 'id: long-context');
    await editFile(work, 'long.yaml', '{low: 500, mode: 2000, high: 8000}', '2000000');
    await editFile(work, 'long.yaml', /\nsweep:[\s\S]*$/, '\n');
    await cp(path.join(work, 'long.yaml'), path.join(work, 'data', 'scenarios', 'long-context.yaml'));
  });
  afterAll(() => rm(work, {recursive: true, force: true}));

  it('says it is not feasible before its figures', () => {
    // Red team: the line came last, after a table of costs and latencies that read as an answer.
    const result = runCli(['estimate', 'long-context', '--root', work, '--samples', '20'], REPO_ROOT);
    expect(result.code).toBe(0);
    const [title, second] = result.stdout.split('\n');
    expect(title).toMatch(/^Llama 3\.1 405B serving/);
    expect(second).toMatch(
      /^Not feasible as asked: not one sequence of .* the figures below are what it would give if it ran$/,
    );
  });
});

describe('tradeoffs estimate on a chip without BF16', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tradeoffs-estimate-fp16-'));
    await cp(path.join(REPO_ROOT, 'data'), path.join(work, 'data'), {recursive: true});
    await appendFile(path.join(work, 'data', 'hardware.yaml'), FP16_CHIP_YAML);
    await writeFile(path.join(work, 'data', 'scenarios', 'on-fp16-chip.yaml'), ON_FP16_CHIP_YAML);
  });
  afterAll(() => rm(work, {recursive: true, force: true}));

  it('defines its MFU over the FP16 peak it is counted against', () => {
    // Red team: the line said "over the dense BF16 peak" of a chip that has none.
    const result = runCli(['estimate', 'on-fp16-chip', '--root', work, '--samples', '20'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('over the dense FP16 peak (the chip has no BF16)\n');
    expect(result.stdout).not.toContain('BF16 peak');
  });
});

describe('tradeoffs estimate and build refuse the same input in the same words', () => {
  const base = path.join(REPO_ROOT, 'test', 'fixtures', 'bad-inputs', '_base');
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tradeoffs-estimate-refuses-'));
    await cp(base, work, {recursive: true});
  });
  afterAll(async () => {
    if (work) await rm(work, {recursive: true, force: true});
  });

  it('refuses tokens of 1e308 (which once printed ∞ and a 430-character line) at the field, exit 1', async () => {
    await editFile(work, 'data/scenarios/tiny.yaml', 'tokens: 15.6e12', 'tokens: 1e308');
    const estimate = runCli(['estimate', 'tiny', '--root', work], REPO_ROOT);
    const build = runCli(['build', '--root', work, '--out', path.join(work, 'site')], REPO_ROOT);
    const message = /^.*`workload\.tokens`: 1e308 tokens is impossible for a run length.*$/m;
    expect(estimate.code).toBe(1);
    expect(build.code).toBe(1);
    expect(estimate.stdout).toBe('');
    expect(estimate.stderr).not.toMatch(/∞|Infinity/);
    expect(estimate.stderr.match(message)?.[0]).toBe(build.stderr.match(message)?.[0]);
  });
});

describe('tradeoffs calibrate', () => {
  it('prints predicted against reported for every reference run, with the median error', () => {
    const result = runCli(['calibrate'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^reference run\s+metric\s+reported\s+predicted\s+in sample\s+leave-one-out\n/);
    expect(result.stdout).toMatch(/deepseek-v3-h800\s+mfu \(causal\)\s+38\.9%/);
    expect(result.stdout).toMatch(
      /\nall runs \(\d+ runs\): median [\d.]+% in sample, [\d.]+% leave-one-out; largest [\d.]+% in sample, [\d.]+% leave-one-out\n/,
    );
    // The memory model against every published layout.
    expect(result.stdout).toMatch(
      /\nmemory: published layout\s+recompute\s+predicted \/ memory\s+ratio\s+least memory-hungry reading\n/,
    );
    expect(result.stdout).toMatch(
      /\ndeepseek-v3-h800\s+stated\s+[\d.]+ \/ 85\.5 GB\s+0\.\d{3}\s+tp 1 · pp 16 · dp 128 · ep 64 · ZeRO-1 · micro-batch 1 · selective recompute · dualpipe\n/,
    );
    expect(result.stdout).toMatch(
      /\nover the \d+ runs that state their recomputation: median ratio [\d.]+, largest [\d.]+/,
    );
  });

  it('gives the same rows as JSON with --json', () => {
    const result = runCli(['calibrate', '--json'], REPO_ROOT);
    expect(result.code).toBe(0);
    const {rows, errors} = JSON.parse(result.stdout);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) {
      expect(row.reported).toBeGreaterThan(0);
      expect(row.predicted).toBeGreaterThan(0);
      expect(row.relativeError).toBeCloseTo(row.predicted / row.reported - 1, 9);
    }
    expect(errors.all.runs).toBe(
      rows.filter((row: {throughputRatio?: number}) => row.throughputRatio !== undefined).length,
    );
    expect(errors.all.medianInSample).toBeGreaterThan(0);
    expect(errors.all.medianLeaveOneOut).toBeGreaterThan(0);
  });

  it('prints the published serving results too, in sample and left out, with the fitted constant', () => {
    const result = runCli(['calibrate'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\nserving result\s+figure\s+reported\s+predicted\s+error\s+left out\n/);
    expect(result.stdout).toMatch(
      /deepseek-v3-day6-service\s+output tokens\/s per GPU\s+1\.85k tokens\/s\s+[\d.]+k tokens\/s\s+[+-][\d.]+%\s+[+-][\d.]+%/,
    );
    expect(result.stdout).toMatch(/fitted: overlapEfficiency = [\d.]+ \([\d.]+–[\d.]+ with one left out\)/);
    expect(result.stdout).toMatch(/leave-one-out [\d.]+% \(largest [\d.]+%\) over \d+ figures/);
    const {serving} = JSON.parse(runCli(['calibrate', '--json'], REPO_ROOT).stdout);
    expect(serving.rows.length).toBeGreaterThanOrEqual(10);
    for (const row of serving.rows)
      expect(row.leaveOneOutError).toBeCloseTo(row.leaveOneOutPredicted / row.reported - 1, 9);
  });
});

describe('tradeoffs check', () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  beforeAll(async () => {
    project = await copyProject();
  });
  afterAll(() => project.cleanup());

  it('passes on the bundled data and templates and writes nothing', () => {
    const result = runCli(['check'], project.root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Checked \d+ report\(s\): no errors/);
    expect(existsSync(path.join(project.root, 'reports'))).toBe(false);
  });

  it('warns, without failing, when a computed parameter count strays beyond 2% from the declared one', async () => {
    await editFile(project.root, 'data/models.yaml', 'params_total: 671e9', 'params_total: 600e9');
    const result = runCli(['check'], project.root);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /data\/models\.yaml\n\d+:\d+-\d+:\d+\s+warning\s+Model `deepseek-v3`: params_total computed from the architecture is 671\.03B, 11\.8% from the declared 600\.00B, expected within 2%\s+parameter-count/,
    );
  });

  it('reports every problem of a run, across files, in one report', async () => {
    await editFile(
      project.root,
      'data/hardware.yaml',
      'tdp_w: 400, source: "[A] meta-llama',
      'tdp_w: -400, source: "[A] meta-llama',
    );
    await editFile(
      project.root,
      'data/scenarios/llama-3.1-405b-pretraining.yaml',
      'model: llama-3.1-405b',
      'model: llama-405b',
    );
    const result = runCli(['check'], project.root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('data/hardware.yaml');
    expect(result.stderr).toContain('data/scenarios/llama-3.1-405b-pretraining.yaml');
    expect(result.stderr).toMatch(/✖ 2 errors/);
  });
});

describe('command line', () => {
  it('prints the version', () => {
    const result = runCli(['--version'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 on an unknown command or option, with one line and a hint, not the whole help', () => {
    const command = runCli(['bulid'], REPO_ROOT);
    expect(command.code).toBe(2);
    expect(command.stderr).toBe(
      'tradeoffs: Unknown command `bulid`, did you mean `build`?\nRun `tradeoffs --help` for the commands.\n',
    );
    const option = runCli(['check', '--seed', '3', '--port', '9'], REPO_ROOT);
    expect(option.code).toBe(2);
    expect(option.stderr).toBe(
      'tradeoffs: Unknown option `--seed` for `check` (`estimate` takes it)\nRun `tradeoffs help check` for its options.\n',
    );
    const stray = runCli(['build', 'newsite'], REPO_ROOT);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('Unexpected argument `newsite` for `build`, expected no arguments');
  });

  it('prints the usage with exit 2 when no command is given, and exit 0 when asked', () => {
    const none = runCli([], REPO_ROOT);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage: tradeoffs <command>');
    for (const args of [['--help'], ['-h'], ['help']]) {
      const asked = runCli(args, REPO_ROOT);
      expect(asked.code, args.join(' ')).toBe(0);
      expect(asked.stdout).toBe(none.stdout);
    }
  });

  it("prints a command's help for `help <command>` and `<command> --help`", () => {
    const help = runCli(['help', 'build'], REPO_ROOT);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tradeoffs build \[options\]\n/);
    expect(help.stdout).toContain('--shard <k/n>');
    expect(runCli(['build', '--help'], REPO_ROOT).stdout).toBe(help.stdout);
    // The entry answers help itself; the full CLI gives the same text.
    expect(runCli(['build', '--help', '--bogus'], REPO_ROOT).stdout).toBe(help.stdout);
  });

  it('bounds numeric options, naming the bound', () => {
    const result = runCli(['estimate', 'deepseek-v3-pretraining', '--samples', '0'], REPO_ROOT);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--samples expects a whole number from 1 to 1,000,000, got `0`');
  });

  it('exits 2 when estimate has no scenario id', () => {
    const result = runCli(['estimate'], REPO_ROOT);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('estimate needs a scenario id');
  });
});

describe('tradeoffs check on serving scenarios', () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  beforeAll(async () => {
    project = await copyProject();
  });
  afterAll(() => project.cleanup());

  it('warns, without failing, when FP8 weights run on a chip without an FP8 rate', async () => {
    await editFile(
      project.root,
      'data/scenarios/llama-3.1-405b-serving.yaml',
      'hardware: h100-sxm',
      'hardware: a100-sxm',
    );
    const result = runCli(['check'], project.root);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /llama-3\.1-405b-serving\.yaml\n\d+:\d+-\d+:\d+\s+warning\s+`llama-3\.1-405b-serving`: a100-sxm has no fp8 rate, so fp8 weights only save memory and bandwidth there; the GEMMs run at the BF16 rate/,
    );
  });
});
