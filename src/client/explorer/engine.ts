import {isMap, isPair, isScalar, isSeq, type Node} from 'yaml';
import {checkCatalog} from '../../check/check-records.js';
import type {Catalog} from '../../data/catalog.js';
import type {LoadedCatalog} from '../../data/catalog-json.js';
import {continuousInputPaths} from '../../data/continuous-inputs.js';
import {resolveIds} from '../../data/resolve-ids.js';
import {precisionSchema} from '../../data/schemas/common.js';
import {scenarioSchema, type Scenario} from '../../data/schemas/scenario.js';
import {splitUncertain} from '../../data/split-uncertain.js';
import {validateAt} from '../../data/validate.js';
import {parseYamlSource, yamlData, type DataPath, type YamlSource} from '../../data/yaml-source.js';
import {Diagnostics} from '../../diagnostics/diagnostics.js';
import {unknownIdReason} from '../../diagnostics/nearest-id.js';
import {nonFiniteOutputs, nonFiniteReason} from '../../estimate/non-finite.js';
import {estimatePoint, sweepPointsOf, type AnyEstimate, type SweepPoint} from '../../estimate/kinds.js';
import {memoizedSearch} from '../../estimate/training/search-cache.js';
import type {SamplingOptions} from '../../estimate/uncertainty/monte-carlo.js';
import {estimateJson} from './estimate-json.js';
import type {PointInput} from './state.js';

/**
 * What the explorer computes, in a worker or on the page: a reader's
 * scenario as YAML text goes through the steps `tradeoffs estimate` takes
 * with a file in data/scenarios/ (parse with positions, validate with the
 * scenario schema, resolve ids, check layouts and deployments), then the
 * core estimates it at the sweep point with the same sampling. Problems are
 * the CLI's own messages, placed in the same file; the estimate is the
 * JSON `tradeoffs estimate <id> --json` prints.
 */

export interface EngineRequest {
  /** The scenario's file, as the CLI names it in messages (`data/scenarios/<id>.yaml`). */
  readonly file: string;
  readonly text: string;
  /** The sweep point (the CLI's `--hardware`, `--gpus`, `--precision`, `--technique`), as given. */
  readonly point: PointInput;
  readonly sampling: SamplingOptions;
}

/** A problem, as the CLI reports it, with the path of the field it is at when it is inside the scenario. */
export interface EngineMessage {
  readonly file: string;
  readonly severity: 'error' | 'warning';
  readonly reason: string;
  readonly ruleId: string;
  /** 1-based, as editors and the CLI count; absent for a problem with no place (the command line). */
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly path?: DataPath;
}

export interface EngineResult {
  readonly messages: readonly EngineMessage[];
  /** The estimate, when the scenario is valid: the core's object, and the CLI's JSON of it. */
  readonly estimate?: AnyEstimate;
  readonly json?: string;
  /** The scenario as checked (nominal values), when valid. */
  readonly scenario?: Scenario;
  /** Milliseconds the request took. */
  readonly elapsedMs: number;
}

/** An engine for one catalog: it keeps a memoised layout search across requests (a reader's edits rarely change the layout question). */
export interface Engine {
  run(request: EngineRequest): EngineResult;
}

/** The file a reader's scenario is written to, as `tradeoffs check` would name it. */
export function scenarioFile(id: string): string {
  return `data/scenarios/${id}.yaml`;
}

export function createEngine(loaded: LoadedCatalog): Engine {
  let search = memoizedSearch();
  let runs = 0;
  return {
    run(request) {
      const started = performance.now();
      // A new memory now and then, so a long session holds a bounded number of searches.
      if (++runs % 64 === 0) search = memoizedSearch();
      const result = estimateText(loaded, request, search);
      return {...result, elapsedMs: performance.now() - started};
    },
  };
}

function estimateText(
  loaded: LoadedCatalog,
  request: EngineRequest,
  search: ReturnType<typeof memoizedSearch>,
): Omit<EngineResult, 'elapsedMs'> {
  const diagnostics = new Diagnostics();
  const finish = (source?: YamlSource): Omit<EngineResult, 'elapsedMs'> => ({
    messages: messagesOf(diagnostics, source),
  });
  // As loadCatalog reads a file of data/scenarios/ (src/data/load-catalog.ts).
  const source = parseYamlSource(request.file, request.text, diagnostics);
  const data = source && yamlData(source, diagnostics);
  if (!source || !data) return finish(source);
  const validated = validateAt(scenarioSchema, data.value, source, [], diagnostics);
  if (!validated) return finish(source);
  const {nominal: scenario, leaves} = splitUncertain(validated);
  const catalog: Catalog = {
    hardware: loaded.hardware,
    models: loaded.models,
    scenarios: new Map([[scenario.id, scenario]]),
    references: new Map(),
    techniques: loaded.techniques,
    sources: new Map(),
    origins: new Map([[scenario, {source, path: []}]]),
    invalidIds: new Set(),
    written: new Map(),
    uncertainty: new Map([...loaded.uncertainty, ...(leaves.length > 0 ? [[scenario, leaves] as const] : [])]),
    continuous: new Map([...loaded.continuous, [scenario, continuousInputPaths(scenarioSchema, scenario)]]),
  };
  if (resolveIds(catalog, diagnostics).size > 0) return finish(source);
  const checked = checkCatalog(catalog, diagnostics);
  if (diagnostics.hasErrors || !checked.scenarios.has(scenario.id)) return finish(source);
  const point = checkPoint(catalog, scenario, request.point, diagnostics);
  if (!point) return finish(source);
  let estimate: AnyEstimate;
  try {
    estimate = estimatePoint(checked, scenario, point, request.sampling, {
      search,
      modelError: () => loaded.modelError,
      servingModelError: () => loaded.servingModelError,
    });
  } catch (error) {
    diagnostics.error(request.file, error instanceof Error ? error.message : String(error), undefined, 'invalid-value');
    return finish(source);
  }
  // As a build refuses to print one (src/render/template-scope.ts): no Infinity reaches the page. A point
  // that cannot run (no layout fits) says so in `infeasible`, and its missing numbers read "–".
  const overflowing = nonFiniteOutputs(estimate);
  if (overflowing.length > 0) {
    diagnostics.error(request.file, nonFiniteReason(scenario.id, overflowing), undefined, 'invalid-value');
    return finish(source);
  }
  return {
    messages: messagesOf(diagnostics, source),
    estimate,
    json: estimateJson(estimate, request.sampling, catalog.uncertainty.get(scenario)?.length ?? 0),
    scenario,
  };
}

/**
 * The sweep point, checked as `tradeoffs estimate` checks its options: a
 * known hardware id, a technique set of the scenario's sweep, a precision,
 * a whole number of GPUs. Problems are on `<command line>`, as the CLI
 * says them.
 */
function checkPoint(
  catalog: Catalog,
  scenario: Scenario,
  input: PointInput,
  diagnostics: Diagnostics,
): SweepPoint | undefined {
  const file = '<command line>';
  const point: {hardware?: string; gpus?: number; precision?: SweepPoint['precision']; technique?: string} = {};
  if (input.hardware !== undefined) {
    if (catalog.hardware.has(input.hardware)) point.hardware = input.hardware;
    else
      diagnostics.error(
        file,
        unknownIdReason('hardware', input.hardware, catalog.hardware.keys()),
        undefined,
        'unknown-id',
      );
  }
  if (input.gpus !== undefined) {
    const gpus = Number(input.gpus);
    if (Number.isInteger(gpus) && gpus >= 1 && gpus <= 10_000_000) point.gpus = gpus;
    else
      diagnostics.error(
        file,
        `--gpus expects a whole number from 1 to 10000000, got \`${input.gpus}\``,
        undefined,
        'invalid-value',
      );
  }
  if (input.precision !== undefined) {
    const parsed = precisionSchema.safeParse(input.precision);
    if (parsed.success) point.precision = parsed.data;
    else
      diagnostics.error(
        file,
        `--precision expects one of ${precisionSchema.options.join(', ')}, got \`${input.precision}\``,
        undefined,
        'invalid-value',
      );
  }
  if (input.technique !== undefined) {
    const names = new Set(sweepPointsOf(scenario).flatMap((each) => each.technique ?? []));
    if (names.has(input.technique)) point.technique = input.technique;
    else
      diagnostics.error(
        file,
        unknownIdReason('technique set', input.technique, names).replace(' id ', ' '),
        undefined,
        'unknown-id',
      );
  }
  return diagnostics.hasErrors ? undefined : point;
}

/** Every message of a run, with its place and, inside the scenario's file, the path of the field it is at. */
function messagesOf(diagnostics: Diagnostics, source: YamlSource | undefined): EngineMessage[] {
  return diagnostics.files.flatMap((file) =>
    file.messages.map((message) => {
      const place = message.place;
      const start = place && 'start' in place ? place.start : place;
      const end = place && 'end' in place ? place.end : undefined;
      const path =
        source && file.path === source.path && start?.offset !== undefined ? pathAt(source, start.offset) : undefined;
      return {
        file: file.path,
        severity: message.fatal === true ? ('error' as const) : ('warning' as const),
        reason: message.reason,
        ruleId: message.ruleId ?? '',
        ...(start ? {line: start.line, column: start.column} : {}),
        ...(end ? {endLine: end.line, endColumn: end.column} : {}),
        ...(path ? {path} : {}),
      };
    }),
  );
}

/** The path of the deepest field of a document whose key or value holds `offset`. */
export function pathAt(source: YamlSource, offset: number): DataPath | undefined {
  const inside = (node: Node | null | undefined) => {
    const range = node?.range;
    return range !== undefined && range !== null && range[0] <= offset && offset < Math.max(range[1], range[0] + 1);
  };
  const walk = (node: unknown, path: Array<string | number>): DataPath | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        if (typeof key !== 'string' && typeof key !== 'number') continue;
        if (inside(pair.key as Node)) return [...path, key];
        if (inside(pair.value as Node)) return walk(pair.value, [...path, key]) ?? [...path, key];
      }
      return undefined;
    }
    if (isSeq(node)) {
      for (const [index, item] of node.items.entries())
        if (inside(item as Node)) return walk(item, [...path, index]) ?? [...path, index];
      return undefined;
    }
    return undefined;
  };
  return walk(source.document.contents, []);
}
