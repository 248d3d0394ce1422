import {readdirSync, readFileSync} from 'node:fs';
import {cp, mkdir, mkdtemp, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../src/data/catalog.js';
import {type DataReader} from '../../src/data/load-catalog.js';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {Diagnostics, DiagnosticsError, InputError} from '../../src/diagnostics/diagnostics.js';
import {outputsOf, scenarioKind} from '../../src/estimate/kinds.js';
import {diskEffects} from '../../src/build/build-effects.js';
import {inputsDate} from '../../src/build/build-output.js';
import {buildSite} from '../../src/build/build-site.js';
import {readManifest, siteMatches} from '../../src/output/manifest.js';
import {MANIFEST_FILE} from '../../src/project.js';
import {layoutSite} from '../../src/output/site-files.js';
import {assumptionsSection} from '../../src/render/assumptions-table.js';
import {prepareTemplate} from '../../src/render/prepare-template.js';
import {renderReport, type ChartRenderer} from '../../src/render/render-report.js';
import {renderChartSvg, type RenderedChart} from '../../src/charts/render-svg.js';
import {TemplateError} from '../../src/render/template-error.js';
import {createTemplateScope, type AnyEstimate} from '../../src/render/template-scope.js';
import {
  applyStructOps,
  applyTextOps,
  ATTRIBUTE_VALUES,
  badNumbers,
  envInteger,
  gentleOpArbitrary,
  misplacedMessages,
  replaceAttribute,
  structOpArbitrary,
  TEMPLATE_TOKENS,
  textOpArbitrary,
  Watchdog,
  YAML_TOKENS,
  type StructOp,
  type TextOp,
} from '../helpers/fuzz.js';
import {hashTree, REPO_ROOT} from '../helpers/project.js';

/**
 * Fuzzing: valid data and templates, mutated at random, never
 * make the tool crash (throw anything but its own positioned messages), hang,
 * or leave a partial site.
 *
 * - Data: the YAML files of three small valid projects (the bad-input
 *   corpus's `_base/`; the same with test/fixtures/fuzz/ overlaid, which
 *   reaches predicted steps, layout search, inference, demand and
 *   uncertainty; and the base with a reference run, for calibration),
 *   mutated wildly, as text (characters and lines deleted, duplicated,
 *   swapped; YAML syntax, tags, anchors and aliases, a BOM, CRLF, NUL, very
 *   long lines, deep nesting inserted) or as structure (a node replaced by an
 *   arbitrary value: markup, `__proto__`, NaN, ±Infinity, -0, 1e308, huge
 *   integers, lists, mappings; a key deleted or renamed; a record
 *   duplicated; a node copied elsewhere), or gently (a number changed for
 *   another of any size, an id or a choice for another valid one, a number
 *   made a range or a distribution), then loaded by the real loader, from
 *   memory. Every message must be in a data file at a line and column inside
 *   it. With no error, every scenario must estimate, sweep, rank its inputs
 *   and list its assumptions, and the reference runs calibrate, to finite
 *   outputs with no NaN anywhere, or fail with the tool's own errors
 *   (TemplateError, InputError), which a template reports at its call.
 * - Templates: the base report (and now and then test/fixtures/fuzz's
 *   report, which uses every component and helper) mutated as text: ranges
 *   deleted, lines moved, braces, tags, components with wrong props,
 *   expressions that throw or give objects, `export`s, `import`s, broken
 *   frontmatter inserted, attributes given values of the wrong type. Each is
 *   compiled, run and laid out in process; every message must be in the
 *   template at a line and column inside it.
 * - Builds: fewer cases end to end (`buildSite`, on disk), the base
 *   project's data or template mutated as above, or a valid block added to
 *   its report, each into a folder holding a previous good site: afterwards
 *   the folder holds that site byte for byte (a failed build) or a complete
 *   new one (exactly the files its manifest lists, with their hashes), and
 *   nothing is left beside it: no staging folder, no site set aside, no lock.
 *
 * Hangs: a case must use less than CASE_LIMIT_MS of CPU time (they take
 * milliseconds; CPU time, not the clock, so a busy machine does not fail
 * them), and a watchdog thread reports a case still running after HANG_MS
 * (a safety net, far beyond a busy machine's slowest case) and kills
 * the process, as a loop in synchronous code would never let the test time
 * out. Templates are code the project's authors write, run with the build's
 * own rights, trusted as a build script or a test is: an infinite loop in
 * one is a bug in the report, which a time limit would only turn into
 * another error, so none of the mutations writes a loop (character edits of
 * these templates cannot make one; endless recursion ends in a stack
 * overflow, which is placed). Data is untrusted, and every data case is
 * timed.
 *
 * The seed is fixed, so a run is reproducible. For longer runs, FUZZ_SEED
 * picks another seed, FUZZ_RUNS the number of cases of each in-process
 * property and FUZZ_BUILD_RUNS the number of builds:
 * `FUZZ_SEED=7 FUZZ_RUNS=20000 FUZZ_BUILD_RUNS=500 npx vitest run test/fuzz.test.ts`.
 * A failure prints the seed, the path to replay it and the shrunk case
 * (fast-check). What fuzzing found is in test/fuzz-regressions.test.ts and
 * the bad-input corpus.
 */

const SEED = envInteger('FUZZ_SEED', 20_251_129);
const DATA_RUNS = envInteger('FUZZ_RUNS', 1600);
const TEMPLATE_RUNS = envInteger('FUZZ_RUNS', 800);
const BUILD_RUNS = envInteger('FUZZ_BUILD_RUNS', 40);
/** A case usually takes milliseconds of CPU time; one beyond this is too slow to be anything but a bug. */
const CASE_LIMIT_MS = 5_000;
/** A case still running after this is a hang: the watchdog stops the process. */
const HANG_MS = 120_000;
/** A property's timeout: a safety net only (the watchdog catches a hang), far beyond every case at its CPU limit. */
const safetyNet = (runs: number) => 600_000 + runs * CASE_LIMIT_MS;
/** Fewer Monte Carlo samples than a build: the fuzz looks for crashes, not for precise ranges. */
const SAMPLING = {samples: 24, seed: 1};

const BASE = path.join(REPO_ROOT, 'test', 'fixtures', 'bad-inputs', '_base');
const OVERLAY = path.join(REPO_ROOT, 'test', 'fixtures', 'fuzz');

/** Every file below `folder`, path relative to it (with `/`) → text. */
function readTree(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(folder, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile() || entry.name.endsWith('.md')) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(folder, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
  }
  return files;
}

const baseFiles = readTree(BASE);
const dataOf = (files: ReadonlyMap<string, string>) => new Map([...files].filter(([name]) => name.startsWith('data/')));
const overlay = readTree(OVERLAY);
const REFERENCES = 'data/references.yaml';
/**
 * The seed projects' data, path → text: the base; the base with the
 * overlay's chips, models and scenarios; the base with its reference run
 * (apart, as its layout search makes every load slower).
 */
const SEEDS = [
  dataOf(baseFiles),
  dataOf(new Map([...baseFiles, ...[...overlay].filter(([name]) => name !== REFERENCES)])),
  dataOf(new Map([...baseFiles, [REFERENCES, overlay.get(REFERENCES)!]])),
];
const TEMPLATE = 'templates/report.mdx';
const baseTemplate = baseFiles.get(TEMPLATE)!;
const RICH_TEMPLATE = 'templates/rich.mdx';
/** The templates mutated in process, each with the data it reads: the base report, and the overlay's over all the overlay's data. */
const TEMPLATE_SEEDS = [
  {path: TEMPLATE, text: baseTemplate, data: dataOf(baseFiles)},
  {path: RICH_TEMPLATE, text: overlay.get(RICH_TEMPLATE)!, data: dataOf(new Map([...baseFiles, ...overlay]))},
];

/** A text as the tool reads it back from a file: lone surrogates become U+FFFD. */
const asWritten = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

/** A project's files in memory, for the loader. */
function memoryReader(files: ReadonlyMap<string, string>): DataReader {
  const missing = (file: string) =>
    Object.assign(new Error(`ENOENT: no such file or directory, ${file}`), {code: 'ENOENT'});
  return {
    readText: async (file) => files.get(file) ?? Promise.reject(missing(file)),
    list: async (folder) =>
      [...files.keys()].filter((name) => path.posix.dirname(name) === folder).map((name) => path.posix.basename(name)),
    exists: (file) => files.has(file),
  };
}

/** Short, for the watchdog's report. */
const label = (what: unknown) => {
  const text = fc.stringify(what);
  return text.length > 4000 ? `${text.slice(0, 4000)}… (${text.length} characters)` : text;
};

/** The errors the tool throws on purpose: each becomes positioned messages where it is caught. */
function isToolError(error: unknown): boolean {
  return error instanceof TemplateError || error instanceof InputError || error instanceof DiagnosticsError;
}

/**
 * An invariant of the Markdown toolchain (unified's `devlop` assertions),
 * checked only in its development build, which Vitest loads (`--conditions
 * development`); the bundled tool has the production build, where it is not
 * checked. The case cannot be judged here: it is skipped, and counted. (The
 * one fuzzing found, `<div>` before the frontmatter, is in the bad-input
 * corpus, run through the bundle: a positioned error there.)
 */
function isDevelopmentAssertion(error: unknown): boolean {
  return error instanceof Error && error.name === 'Assertion';
}

/** Run `work`; an error of the tool is fine, anything else is rethrown. */
function toolErrorsOnly<T>(what: string, work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    if (isToolError(error)) return undefined;
    throw new Error(`${what} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, {
      cause: error,
    });
  }
}

/** The named outputs of an estimate, and its ranges, are finite numbers (or absent); nothing in it is NaN. */
function checkEstimate(what: string, estimate: AnyEstimate): void {
  const problems = badNumbers(estimate, false);
  for (const [name, info] of Object.entries(outputsOf(estimate) ?? {})) {
    const value = info.read(estimate);
    if (value !== undefined && !Number.isFinite(value)) problems.push(`${name} = ${value}`);
  }
  problems.push(...badNumbers(scenarioKind(estimate.kind).ranges(estimate) ?? {}, true, 'ranges'));
  if (problems.length > 0) throw new Error(`${what}: ${[...new Set(problems)].slice(0, 10).join('; ')}`);
}

/** Everything a build could ask of a loaded catalog: every scenario estimated, swept, its inputs ranked and listed, the calibration, the date of the data. */
function exerciseCatalog(catalog: Catalog): void {
  const scope = createTemplateScope(catalog, SAMPLING);
  for (const scenario of scope.catalog.scenarios) {
    const estimate = toolErrorsOnly(`estimate('${scenario.id}')`, () => scope.estimate(scenario.id));
    if (estimate) checkEstimate(`estimate('${scenario.id}')`, estimate);
    const sweep = toolErrorsOnly(`sweep('${scenario.id}')`, () => scope.sweep(scenario.id));
    for (const [index, point] of (sweep ?? []).entries()) checkEstimate(`sweep('${scenario.id}')[${index}]`, point);
    toolErrorsOnly(`assumptions of ${scenario.id}`, () => assumptionsSection(catalog, scenario.id));
    if (scenario.kind !== 'demand') {
      const output = scenario.kind === 'training' ? 'costUsd' : 'tpotSeconds';
      const rows = toolErrorsOnly(`sensitivity('${scenario.id}', '${output}')`, () =>
        scope.sensitivity(scenario.id, output),
      );
      const problems = badNumbers(rows ?? [], false);
      if (problems.length > 0)
        throw new Error(`sensitivity('${scenario.id}', '${output}'): ${problems.slice(0, 10).join('; ')}`);
    }
  }
  // The date a build stamps into PDFs, from the data.
  toolErrorsOnly('the date of the inputs', () => inputsDate(catalog).toISOString());
  if (catalog.references.size > 0) {
    const rows = toolErrorsOnly('calibration()', () => scope.calibration());
    const problems = badNumbers(rows ?? [], false);
    if (problems.length > 0) throw new Error(`calibration(): ${problems.slice(0, 10).join('; ')}`);
  }
}

/** A case's mutation of one file: structure first (when it parses), then text. */
interface FileMutation {
  readonly file: number;
  readonly struct: readonly StructOp[];
  readonly text: readonly TextOp[];
}

const fileMutationArbitrary: fc.Arbitrary<FileMutation> = fc.oneof(
  // Wild: anything, as text or structure; most of it is refused while loading.
  {
    weight: 1,
    arbitrary: fc
      .record({
        file: fc.nat(),
        struct: fc.array(structOpArbitrary, {maxLength: 3}),
        text: fc.array(textOpArbitrary(YAML_TOKENS, ['[', ']']), {maxLength: 3}),
      })
      .filter((mutation) => mutation.struct.length + mutation.text.length > 0),
  },
  // Gentle: numbers, ids and choices changed in place, numbers made uncertain: often still valid, so it reaches the estimator.
  {
    weight: 2,
    arbitrary: fc.record({
      file: fc.nat(),
      struct: fc.array(gentleOpArbitrary, {minLength: 1, maxLength: 4}),
      text: fc.constant([]),
    }),
  },
);

const dataCaseArbitrary = fc.record({
  seed: fc.nat({max: SEEDS.length - 1}),
  mutations: fc.array(fileMutationArbitrary, {minLength: 1, maxLength: 2}),
});

/** The seed's files with the mutations applied. */
function mutateData(seed: ReadonlyMap<string, string>, mutations: readonly FileMutation[]): Map<string, string> {
  const files = new Map(seed);
  const names = [...files.keys()].sort();
  for (const mutation of mutations) {
    const name = names[mutation.file % names.length]!;
    files.set(name, applyTextOps(applyStructOps(files.get(name)!, mutation.struct), mutation.text));
  }
  return files;
}

/** A text mutation of a template, or a JSX attribute given another value. */
type TemplateOp = TextOp | {readonly op: 'attribute'; readonly index: number; readonly value: string};

const templateOpArbitrary: fc.Arbitrary<TemplateOp> = fc.oneof(
  {arbitrary: textOpArbitrary(TEMPLATE_TOKENS, ['{', '}']), weight: 5},
  {
    arbitrary: fc.record({
      op: fc.constant('attribute' as const),
      index: fc.nat(),
      value: fc.constantFrom(...ATTRIBUTE_VALUES),
    }),
    weight: 1,
  },
);
const templateOpsArbitrary = fc.array(templateOpArbitrary, {minLength: 1, maxLength: 4});
/** Mostly the base report (fast); now and then the overlay's, which uses every component but takes ten times as long. */
const templateCaseArbitrary = fc.record({
  seed: fc.oneof({arbitrary: fc.constant(0), weight: 19}, {arbitrary: fc.constant(1), weight: 1}),
  ops: templateOpsArbitrary,
});

function mutateTemplate(text: string, ops: readonly TemplateOp[]): string {
  let result = text;
  for (const op of ops)
    result = op.op === 'attribute' ? replaceAttribute(result, op.index, op.value) : applyTextOps(result, [op]);
  return result;
}

/** Where a block of the base report begins, after its frontmatter: text inserted there is a block of its own. */
const BLOCK_STARTS = [...baseTemplate.matchAll(/\n\n/g)]
  .map((match) => match.index + 2)
  .filter((offset) => offset > baseTemplate.indexOf('---', 3));

/** Blocks that keep the base report valid at any of its block starts. */
const VALID_INSERTS = [
  '\n\nMore text, *emphasised*, with `code`.\n\n',
  '\n\n## Another heading\n\n',
  '\n\nIt costs <Estimate scenario="tiny" output="costUsd" />.\n\n',
  "\n\n{format(estimate('tiny').energyMegawattHours, 'MWh')}\n\n",
  '\n\n| A | B |\n| :-- | --: |\n| 1 | 2 |\n\n',
  '\n\n<Callout kind="warning" title="Note">A note.</Callout>\n\n',
];

/** Charts drawn through a cache in memory: the same spec is drawn once per run. */
function memoryChartCache(): ChartRenderer {
  const charts = new Map<string, Promise<RenderedChart>>();
  return (spec) => {
    const key = JSON.stringify(spec);
    let chart = charts.get(key);
    if (!chart) {
      chart = renderChartSvg(spec);
      charts.set(key, chart);
    }
    return chart;
  };
}

/**
 * Whether a case did too much work: the CPU time this process (its build
 * workers included) spent since `started`, which other processes on a busy
 * machine do not stretch as they stretch the clock.
 */
function checkWork(started: NodeJS.CpuUsage): void {
  const {user, system} = process.cpuUsage(started);
  const used = (user + system) / 1000;
  if (used > CASE_LIMIT_MS)
    throw new Error(`the case used ${Math.round(used)} ms of CPU time, expected well under ${CASE_LIMIT_MS} ms`);
}

describe('fuzzing', () => {
  let work: string;
  const watchdog = new Watchdog(HANG_MS);

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tradeoffs-fuzz-'));
  });
  afterAll(async () => {
    await watchdog.close();
    if (work) await rm(work, {recursive: true, force: true});
  });

  it(
    `mutated data: loads with positioned messages, and what loads estimates (${DATA_RUNS} cases)`,
    {timeout: safetyNet(DATA_RUNS)},
    async () => {
      const stats = {cases: 0, loaded: 0};
      await fc.assert(
        fc.asyncProperty(dataCaseArbitrary, async ({seed, mutations}) => {
          const files = mutateData(SEEDS[seed]!, mutations);
          const texts = new Map([...files].map(([name, text]) => [name, asWritten(text)]));
          watchdog.arm(() => `FUZZ_SEED=${SEED}, data case ${label({seed, mutations})}`);
          const started = process.cpuUsage();
          try {
            const diagnostics = new Diagnostics();
            const catalog = await loadCheckedCatalog(`<fuzz seed ${seed}>`, diagnostics, memoryReader(texts));
            const misplaced = misplacedMessages(diagnostics, texts);
            if (misplaced.length > 0) {
              throw new Error(`messages without a place in the file:\n${misplaced.join('\n')}`);
            }
            stats.cases++;
            if (!diagnostics.hasErrors) {
              stats.loaded++;
              exerciseCatalog(catalog);
            }
            checkWork(started);
          } finally {
            watchdog.disarm();
          }
        }),
        {seed: SEED, numRuns: DATA_RUNS},
      );
      console.log(`data fuzz: ${stats.cases} cases, ${stats.loaded} loaded without error and estimated`);
      // The mutations must not all be refused at the door: some reach the estimator.
      expect(stats.loaded).toBeGreaterThanOrEqual(Math.floor(DATA_RUNS / 20));
    },
  );

  it(
    `mutated templates: compile, run and lay out with positioned messages (${TEMPLATE_RUNS} cases)`,
    {timeout: safetyNet(TEMPLATE_RUNS)},
    async () => {
      // Each template seed with the data it was written for, loaded once; estimates and charts are shared by the cases.
      const seeds = await Promise.all(
        TEMPLATE_SEEDS.map(async ({path: file, text, data}) => {
          const diagnostics = new Diagnostics();
          const catalog = await loadCheckedCatalog(`<fuzz ${file}>`, diagnostics, memoryReader(data));
          expect(diagnostics.files.flatMap((each) => each.messages)).toEqual([]);
          return {file, text, catalog, scope: createTemplateScope(catalog, SAMPLING)};
        }),
      );
      const charts = memoryChartCache();
      const stats = {cases: 0, rendered: 0, assertions: 0};
      await fc.assert(
        fc.asyncProperty(templateCaseArbitrary, async ({seed, ops}) => {
          const {file, text: original, catalog, scope} = seeds[seed]!;
          const text = mutateTemplate(original, ops);
          watchdog.arm(() => `FUZZ_SEED=${SEED}, template case ${label({seed, ops})}`);
          const started = process.cpuUsage();
          try {
            const own = new Diagnostics();
            const template = await prepareTemplate(file, text, own).catch((error: unknown) => {
              if (!isDevelopmentAssertion(error)) throw error;
              stats.assertions++;
              fc.pre(false);
            });
            const report = template && (await renderReport(template, scope, catalog, own, {renderChart: charts}));
            if (report) await layoutSite([report]);
            const misplaced = misplacedMessages(own, new Map([[file, asWritten(text)]]));
            if (misplaced.length > 0)
              throw new Error(`messages without a place in the template:\n${misplaced.join('\n')}`);
            if (!report && !own.hasErrors) throw new Error('no report, and no error to say why');
            stats.cases++;
            if (report) stats.rendered++;
            checkWork(started);
          } finally {
            watchdog.disarm();
          }
        }),
        {seed: SEED, numRuns: TEMPLATE_RUNS},
      );
      console.log(
        `template fuzz: ${stats.cases} cases, ${stats.rendered} rendered${stats.assertions > 0 ? `, ${stats.assertions} skipped on a development-only assertion` : ''}`,
      );
      expect(stats.rendered).toBeGreaterThanOrEqual(Math.floor(TEMPLATE_RUNS / 20));
    },
  );

  it(
    `mutated projects build into a folder holding a site: it holds that site or a complete new one (${BUILD_RUNS} builds)`,
    {timeout: safetyNet(BUILD_RUNS)},
    async () => {
      const goodSite = path.join(work, 'good-site');
      await buildSite({root: BASE, cacheDir: null}, diskEffects(BASE, goodSite));
      const goodHash = await hashTree(goodSite);
      const names = [...baseFiles.keys()].sort();
      // Data or template mutated as in the cases above, most of which fail; and text added to the report, which builds a new site.
      const buildCaseArbitrary = fc.oneof(
        fc.record({
          kind: fc.constant('data' as const),
          mutations: fc.array(fileMutationArbitrary, {minLength: 1, maxLength: 2}),
        }),
        fc.record({kind: fc.constant('template' as const), ops: templateOpsArbitrary}),
        fc.record({kind: fc.constant('add' as const), at: fc.nat(), text: fc.constantFrom(...VALID_INSERTS)}),
      );
      let index = 0;
      const stats = {built: 0, refused: 0};
      await fc.assert(
        fc.asyncProperty(buildCaseArbitrary, async (mutation) => {
          const files = new Map(baseFiles);
          if (mutation.kind === 'data')
            for (const [name, text] of mutateData(dataOf(baseFiles), mutation.mutations)) files.set(name, text);
          else if (mutation.kind === 'template') files.set(TEMPLATE, mutateTemplate(baseTemplate, mutation.ops));
          else
            files.set(
              TEMPLATE,
              applyTextOps(baseTemplate, [
                {op: 'insert', at: BLOCK_STARTS[mutation.at % BLOCK_STARTS.length]!, text: mutation.text},
              ]),
            );
          const caseDir = path.join(work, `build-${index++}`);
          const root = path.join(caseDir, 'project');
          const out = path.join(caseDir, 'site');
          for (const name of names) {
            await mkdir(path.dirname(path.join(root, name)), {recursive: true});
            await writeFile(path.join(root, name), files.get(name)!);
          }
          await cp(goodSite, out, {recursive: true});
          watchdog.arm(() => `FUZZ_SEED=${SEED}, build case ${label(mutation)}`);
          const started = process.cpuUsage();
          let outcome: 'built' | 'refused';
          try {
            await buildSite({root, cacheDir: null}, diskEffects(root, out));
            outcome = 'built';
          } catch (error) {
            if (isDevelopmentAssertion(error)) {
              await rm(caseDir, {recursive: true, force: true});
              fc.pre(false);
            }
            if (!(error instanceof DiagnosticsError)) throw error;
            const texts = new Map([...files].map(([name, text]) => [name, asWritten(text)]));
            const misplaced = misplacedMessages(error.diagnostics, texts, new Set(['data/scenarios', 'templates']));
            if (misplaced.length > 0) {
              throw new Error(`messages without a place in the file:\n${misplaced.join('\n')}`, {cause: error});
            }
            outcome = 'refused';
          } finally {
            watchdog.disarm();
          }
          checkWork(started);
          // Nothing beside the site: no staging folder, no previous site set aside, no lock.
          expect((await readdir(caseDir)).sort()).toEqual(['project', 'site']);
          if (outcome === 'refused') {
            expect(await hashTree(out), 'a failed build leaves the previous site as it was').toBe(goodHash);
          } else {
            const manifest = await readManifest(out, new Diagnostics());
            expect(manifest, 'a new site has its manifest').toBeDefined();
            const listed = [...Object.keys(manifest!.files), MANIFEST_FILE].sort();
            const present = (await readdir(out, {recursive: true, withFileTypes: true}))
              .filter((entry) => entry.isFile())
              .map((entry) => path.relative(out, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
            expect(present.sort(), 'the new site holds exactly the files its manifest lists').toEqual(listed);
            expect(await siteMatches(out, manifest!), 'every file of the new site as the manifest says').toBe(true);
          }
          stats[outcome]++;
          await rm(caseDir, {recursive: true, force: true});
        }),
        {seed: SEED, numRuns: BUILD_RUNS},
      );
      console.log(`build fuzz: ${stats.built} built, ${stats.refused} refused`);
    },
  );
});
