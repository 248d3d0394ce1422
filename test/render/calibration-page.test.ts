import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type {Element, Root} from 'hast';
import {toString} from 'hast-util-to-string';
import {visit} from 'unist-util-visit';
import {beforeAll, describe, expect, it} from 'vitest';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {calibrateCatalog} from '../../src/estimate/training/calibrate-catalog.js';
import {formatQuantity} from '../../src/render/format-quantity.js';
import {prepareTemplate} from '../../src/render/prepare-template.js';
import {renderReport} from '../../src/render/render-report.js';
import {createTemplateScope} from '../../src/render/template-scope.js';
import {REPO_ROOT} from '../helpers/project.js';

/**
 * The calibration page prints every run in its own metric's unit, and
 * groups the leave-one-out errors by kind of model, chip and precision
 * from the same rows `tradeoffs calibrate` computes.
 */

const TEMPLATE = 'templates/calibration.mdx';

let page: Root;
let messages: string[];
let catalog: Awaited<ReturnType<typeof loadCheckedCatalog>>;

beforeAll(async () => {
  const diagnostics = new Diagnostics();
  catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  const text = await readFile(path.join(REPO_ROOT, TEMPLATE), 'utf8');
  const prepared = await prepareTemplate(TEMPLATE, text, diagnostics);
  const report = prepared && (await renderReport(prepared, createTemplateScope(catalog), catalog, diagnostics));
  messages = diagnostics.files.flatMap((file) => file.messages.map(String));
  if (!report) throw new Error(`the calibration page did not render: ${messages.join('\n')}`);
  page = report.content;
}, 120_000);

/** The body rows of the table whose first header cell reads `firstHeader`, as the text of their cells. */
function tableRows(firstHeader: string): string[][] {
  const found: string[][] = [];
  visit(page, 'element', (table: Element) => {
    if (table.tagName !== 'table') return;
    const headers: string[] = [];
    visit(table, 'element', (cell: Element) => {
      if (cell.tagName === 'th') headers.push(toString(cell).trim());
    });
    if (headers[0] !== firstHeader) return;
    visit(table, 'element', (row: Element) => {
      if (row.tagName !== 'tr') return;
      const cells = row.children.filter(
        (child): child is Element => child.type === 'element' && child.tagName === 'td',
      );
      if (cells.length > 0) found.push(cells.map((cell) => toString(cell).trim()));
    });
  });
  return found;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[half] as number)
    : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
};

describe('the calibration page', () => {
  it('renders without a message', () => {
    expect(messages).toEqual([]);
  });

  it("prints each run's reported and predicted figures in its metric's unit", () => {
    const rows = tableRows('Run');
    const {rows: calibration} = calibrateCatalog(catalog);
    expect(rows).toHaveLength(calibration.length);
    const units: Record<string, RegExp> = {
      'GPU-hours': / GPU-h$/,
      'tokens/s per GPU': / tokens\/s$/,
      'step (s)': / (ms|s)$/,
    };
    let checked = 0;
    for (const [, metric, reported, predicted] of rows) {
      const unit = units[metric as string];
      if (!unit) continue;
      expect(reported, metric).toMatch(unit);
      if (predicted !== 'no layout fits') expect(predicted, metric).toMatch(unit);
      checked += 1;
    }
    expect(rows.some(([, metric]) => metric === 'GPU-hours')).toBe(true);
    expect(checked).toBeGreaterThan(40);
  });

  it('groups the leave-one-out errors by kind of model, chip and precision, every predicted run once', () => {
    const rows = tableRows('Model · chip · precision');
    const predicted = calibrateCatalog(catalog).rows.filter(
      (row) => row.looThroughputRatio !== undefined && row.hardwareId !== undefined,
    );
    expect(rows.reduce((sum, row) => sum + Number(row[2]), 0)).toBe(predicted.length);
    const groups = new Map<string, number[]>();
    for (const row of predicted) {
      const kind = catalog.models.get(row.modelId)?.ffn.kind === 'moe' ? 'Mixture of experts' : 'Dense';
      const key = `${kind} · ${catalog.hardware.get(row.hardwareId as string)?.name} · ${row.precision.toUpperCase()}`;
      groups.set(key, [...(groups.get(key) ?? []), (row.looThroughputRatio as number) - 1]);
    }
    expect(rows.map((row) => row[0]).sort()).toEqual([...groups.keys()].sort());
    for (const [key, , runs, printed] of rows) {
      const errors = groups.get(key as string) as number[];
      expect(Number(runs), key).toBe(errors.length);
      const value = median(errors);
      expect(printed, key).toBe(`${value >= 0 ? '+' : ''}${formatQuantity(value, 'fraction')}`);
    }
  });
});
