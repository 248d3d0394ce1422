import {h} from 'hastscript';
import type {Point} from 'unist';
import {z} from 'zod';
import type {Component, Props} from '../jsx-runtime.js';
import type {TemplateScope} from '../template-scope.js';
import {Callout} from './callout.js';
import {createChart} from './chart.js';
import {createCite} from './cite.js';
import {createEstimate, Metric} from './estimate.js';
import {createFigure, createRef} from './figure.js';
import {pointKey, type PageState} from './page-state.js';
import {outputRange, outputsOf, sweepPointsOf, type AnyEstimate, type SweepPoint} from '../../estimate/kinds.js';
import {childrenSchema, readProps} from './props.js';
import {createKeyFigures, createScenarioTable} from './tables.js';

/** The components every template can use without importing them, bound to one page's state. */
export function createComponents(scope: TemplateScope, state: PageState): Record<string, Component> {
  return {
    Assumptions: createAssumptions(state),
    Callout,
    Chart: createChart(state, scope),
    Cite: createCite(state),
    Estimate: createEstimate(scope, state),
    Figure: createFigure(state, scope),
    KeyFigures: createKeyFigures(scope, state),
    Metric,
    Ref: createRef(state),
    ScenarioTable: createScenarioTable(scope),
  };
}

/**
 * A page's view of the scope: the same functions, recording which scenarios
 * the page's numbers come from (for `<Assumptions>`).
 */
export function pageScope(scope: TemplateScope, state: PageState): TemplateScope {
  return {
    ...scope,
    estimate: (scenarioId, overrides) => {
      const estimate = scope.estimate(scenarioId, overrides);
      state.scenariosUsed.add(scenarioId);
      recordEstimate(state, scenarioId, overrides ?? {}, estimate);
      return estimate;
    },
    sweep: (scenarioId) => {
      const points = scope.sweep(scenarioId);
      state.scenariosUsed.add(scenarioId);
      const where = sweepPointsOf(scope.catalog.scenario(scenarioId));
      points.forEach((estimate, index) => recordEstimate(state, scenarioId, where[index] ?? {}, estimate));
      return points;
    },
    sensitivity: (scenarioId, output, point) => {
      const rows = scope.sensitivity(scenarioId, output, point);
      state.scenariosUsed.add(scenarioId);
      return rows;
    },
  };
}

/** Keep an estimate the page asked for, with every output and its range, for the site's downloads. */
function recordEstimate(state: PageState, scenario: string, point: SweepPoint, estimate: AnyEstimate): void {
  const values: Record<string, string | number> = {};
  for (const [axis, value] of Object.entries(point))
    if (typeof value === 'string' || typeof value === 'number') values[axis] = value;
  const key = pointKey(scenario, values);
  if (state.estimated.has(key)) return;
  const table = outputsOf(estimate) ?? {};
  const outputs = Object.entries(table).map(([name, info]) => {
    const value = info.read(estimate);
    const range = outputRange(estimate, name);
    return {
      name,
      unit: info.unit,
      value: value !== undefined && Number.isFinite(value) ? value : null,
      range: range ? {p5: range.p5, p50: range.p50, p95: range.p95} : null,
    };
  });
  state.estimated.set(key, {scenario, point: values, outputs});
}

const assumptionsProps = z.strictObject(
  {children: childrenSchema},
  {error: '<Assumptions /> takes no props: it lists every scenario the page used'},
);

/** `<Assumptions />`: every input behind the page's numbers, with its source (filled in once the page has run). */
function createAssumptions(state: PageState) {
  return function Assumptions(props: Props, place: Point | undefined) {
    readProps(assumptionsProps, props, place);
    const element = h('div.assumptions');
    state.assumptions.push({element, place});
    return element;
  };
}
