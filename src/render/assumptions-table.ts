import type {Element} from 'hast';
import {h} from 'hastscript';
import {isWritten, type Catalog} from '../data/catalog.js';
import {scenarioReferences} from '../data/scenario-kinds.js';
import type {UncertainLeaf} from '../data/split-uncertain.js';
import {significant} from './format-quantity.js';

/** What the source column says of a field the data leaves to the schema's default: never a citation. */
export const DEFAULT_SOURCE = 'Default of the tool (not written in the data)';

/** A number as the data gives it: an integer exactly, with its digits grouped (62,914,560); others to six digits. */
export function exactNumber(value: number): string {
  return Number.isInteger(value) ? INTEGER.format(value) : significant(value, 6);
}

const INTEGER = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0, useGrouping: true});

export interface Row {
  readonly field: string;
  readonly value: string;
  readonly source: string;
}

/**
 * Every input behind a scenario's numbers, with its source: the scenario's
 * own fields, and those of the model and hardware it runs on. A field's
 * source is the `source` nearest to it (its group's, else its record's).
 */
export function assumptionsSection(catalog: Catalog, scenarioId: string): Element | undefined {
  const scenario = catalog.scenarios.get(scenarioId);
  if (!scenario) return undefined;
  const records: Array<{kind: string; id: string; record: object}> = [
    {kind: 'Scenario', id: scenario.id, record: scenario},
  ];
  const references = scenarioReferences(scenario);
  if (references) {
    const model = catalog.models.get(references.model);
    const hardwareIds = new Set([references.hardware.id, ...references.sweepHardware]);
    if (model) records.push({kind: 'Model', id: model.id, record: model});
    for (const id of [...hardwareIds].sort()) {
      const hardware = catalog.hardware.get(id);
      if (hardware) records.push({kind: 'Hardware', id: hardware.id, record: hardware});
    }
  }
  return h('section.assumptions-scenario', [
    h('h3', scenario.name),
    ...records.map(({kind, id, record}) =>
      h('details.assumptions-record', {open: records.length <= 2}, [
        h('summary', [`${kind} `, h('code', id)]),
        h('div.table-scroll', [
          h('table.assumptions-table', [
            h('thead', [
              h('tr', [
                h('th', {scope: 'col'}, 'Input'),
                h('th', {scope: 'col'}, 'Value'),
                h('th', {scope: 'col'}, 'Source'),
              ]),
            ]),
            h(
              'tbody',
              rowsOf(record, catalog.uncertainty.get(record) ?? [], (path) => isWritten(catalog, record, path)).map(
                (row) => h('tr', [h('td', h('code', row.field)), h('td', row.value), h('td', row.source)]),
              ),
            ),
          ]),
        ]),
      ]),
    ),
  ]);
}

/**
 * The rows of one record: every field with its value and the source nearest
 * to it (its group's, else its record's). A field the data does not write
 * holds the schema's default, and says so: a default never borrows the
 * citation of the group it sits in.
 */
export function rowsOf(
  record: object,
  leaves: readonly UncertainLeaf[],
  written: (path: ReadonlyArray<string | number>) => boolean = () => true,
): Row[] {
  const rows: Row[] = [];
  const walk = (value: unknown, path: Array<string | number>, source: string) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      if (value.every((item) => typeof item !== 'object'))
        rows.push({field: path.join('.'), value: value.join(', '), source});
      else value.forEach((item, index) => walk(item, [...path, index], source));
      return;
    }
    if (typeof value === 'object') {
      const own = (value as {source?: unknown}).source;
      const nearest = typeof own === 'string' ? own : source;
      for (const [key, child] of Object.entries(value)) if (key !== 'source') walk(child, [...path, key], nearest);
      return;
    }
    if (path.length === 0 || ['id', 'name', 'description', 'notes'].includes(String(path.at(-1)))) return;
    const leaf = leaves.find(
      (candidate) =>
        candidate.path.length === path.length && candidate.path.every((segment, index) => segment === path[index]),
    );
    rows.push({
      field: path.join('.'),
      value: leaf ? describeDistribution(leaf) : typeof value === 'number' ? exactNumber(value) : String(value),
      source: written(path) ? source : DEFAULT_SOURCE,
    });
  };
  walk(record, [], '');
  return rows;
}

function describeDistribution(leaf: UncertainLeaf): string {
  const spec = leaf.distribution.spec;
  switch (spec.kind) {
    case 'triangular':
      return `${exactNumber(spec.mode)} (range ${exactNumber(spec.low)}–${exactNumber(spec.high)}, triangular)`;
    case 'uniform':
      return `${exactNumber(spec.low)}–${exactNumber(spec.high)} (uniform)`;
    case 'normal':
      return `${exactNumber(spec.mean)} ± ${significant(spec.sd, 4)} (normal)`;
    case 'lognormal':
      return `${exactNumber(spec.median)} (lognormal, σ ${significant(spec.sigma, 3)})`;
  }
}
