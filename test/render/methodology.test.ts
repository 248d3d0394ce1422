import type {Element, Root} from 'hast';
import {toString} from 'hast-util-to-string';
import {visit} from 'unist-util-visit';
import {beforeAll, describe, expect, it} from 'vitest';
import type {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {renderBundledPage} from '../helpers/render-page.js';
import {MODEL_CONSTANTS, type ModelConstant} from '../../src/estimate/model-constants.js';
import {SERVING_CONSTANT_LIST} from '../../src/estimate/inference/serving-constants.js';
import {calibrateCatalog} from '../../src/estimate/training/calibrate-catalog.js';
import {formatQuantity} from '../../src/render/format-quantity.js';

/**
 * The methodology page is generated from the estimator's registries of
 * constants: every constant has its row, and every row prints the
 * registry's value, range, status and source, so the page cannot drift
 * from the code. The values are read back as numbers (the page rounds
 * them as the site does), not compared with a copy of the page's format.
 */

const TEMPLATE = 'templates/methodology.mdx';

/** Units the page prints a constant in, and what one of each is worth in the registry's unit. */
const SCALES: Readonly<Record<string, number>> = {
  '%': 0.01,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  B: 1,
  kB: 1e3,
  MB: 1e6,
  GB: 1e9,
  '×': 1,
  tokens: 1,
};

/** A printed quantity (`73.4%`, `3.33 µs`, `2 GB`, `8,192 tokens`, `2.5×`) as a number in the registry's unit. */
function readQuantity(text: string): number {
  const match = /^(-?[\d.,]+)\s*(.*)$/.exec(text.trim());
  const scale = match ? SCALES[match[2] as string] : undefined;
  if (!match || scale === undefined) throw new Error(`not a quantity the page prints: ${JSON.stringify(text)}`);
  return Number((match[1] as string).replace(/,/g, '')) * scale;
}

/** Whether a printed value is the registry's, to the three significant digits the site rounds to. */
function printsValue(text: string, value: number): boolean {
  return Math.abs(readQuantity(text) - value) <= 5e-3 * Math.abs(value) + 1e-15;
}

function elements(tree: Root, test: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (element: Element) => {
    if (test(element)) found.push(element);
  });
  return found;
}

const cells = (row: Element) =>
  row.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'td');

let page: Root;
let messages: string[];
let catalog: Awaited<ReturnType<typeof loadCheckedCatalog>>;

beforeAll(async () => {
  ({page, messages, catalog} = await renderBundledPage(TEMPLATE));
}, 120_000);

const registries: Array<[string, ReadonlyArray<readonly [string, ModelConstant]>]> = [
  ['training', Object.entries(MODEL_CONSTANTS)],
  ['serving', SERVING_CONSTANT_LIST.map((constant) => [constant.id, constant] as const)],
];

describe('the methodology page', () => {
  it('renders without a message', () => {
    expect(messages).toEqual([]);
  });

  for (const [registry, constants] of registries) {
    describe(`lists every ${registry} constant with the registry's record`, () => {
      it.each(constants.map(([name, constant]) => ({name, constant})))('$name', ({name, constant}) => {
        const rows = elements(
          page,
          (element) => element.tagName === 'tr' && element.properties.id === `constant-${name}`,
        );
        expect(rows, `no row for ${name}`).toHaveLength(1);
        const [key, description, unit, value, range, status, source] = cells(rows[0] as Element).map((cell) =>
          toString(cell).trim(),
        );
        expect(key).toBe(name);
        expect(description).toBe(constant.description);
        expect(unit).toBe(constant.unit);
        expect(
          printsValue(value as string, constant.value),
          `${name}: prints ${value}, registry ${constant.value}`,
        ).toBe(true);
        const [low, high] = (range as string).split(' to ');
        expect(printsValue(low as string, constant.range.low), `${name} low: ${low}`).toBe(true);
        expect(printsValue(high as string, constant.range.high), `${name} high: ${high}`).toBe(true);
        expect(status?.split(' ')[0]).toBe(constant.status);
        const span = 'calibratedSpan' in constant ? constant.calibratedSpan : undefined;
        if (span) expect(status).toContain(`calibrated on runs with ${span.low} to ${span.high} ${span.quantity}`);
        expect(source).toBe(constant.source);
      });
    });
  }

  it('has no constant row the registries do not hold, and links every constant it names to its row', () => {
    const known = new Set(registries.flatMap(([, constants]) => constants.map(([name]) => `constant-${name}`)));
    const rows = elements(
      page,
      (element) => element.tagName === 'tr' && String(element.properties.id ?? '').startsWith('constant-'),
    );
    expect(rows.map((row) => row.properties.id).filter((id) => !known.has(String(id)))).toEqual([]);
    const links = elements(
      page,
      (element) => element.tagName === 'a' && String(element.properties.href ?? '').startsWith('#constant-'),
    );
    expect(links.length).toBeGreaterThan(20);
    for (const link of links)
      expect(known.has(String(link.properties.href).slice(1)), String(link.properties.href)).toBe(true);
  });

  it("says a chip whose matrix-multiply rate is not measured widens the model's error by the spread between chips, with the spread the calibration computes (it said 'other setups keep μ and σ')", () => {
    const {modelError} = calibrateCatalog(catalog);
    const text = toString(page).replace(/\s+/g, ' ');
    expect(modelError?.betweenChips).toBeDefined();
    const claim =
      /σ widens in quadrature by τ, the spread of the mean error from one calibrated chip to another, to √\(σ² \+ τ²\) \(τ = ([\d.]+)\)/.exec(
        text,
      );
    expect(claim, 'the widening').not.toBeNull();
    expect(Number(claim?.[1])).toBeCloseTo(modelError?.betweenChips ?? Number.NaN, 3);
  });

  it("lists the memory model's error among what a predicted training estimate draws", () => {
    const text = toString(page).replace(/\s+/g, ' ');
    expect(text).toMatch(
      /Memory error \(training, predicted steps whose search found layouts near the edge of the memory\): every draw scales each such layout's memory/,
    );
  });

  it("prints the calibration's errors as the calibration computes them", () => {
    const {errors} = calibrateCatalog(catalog);
    const text = toString(page);
    const row = (label: string, summary: typeof errors.all) =>
      [
        label,
        String(summary.runs),
        formatQuantity(summary.medianInSample, 'fraction'),
        formatQuantity(summary.medianLeaveOneOut, 'fraction'),
        formatQuantity(summary.worstInSample, 'fraction'),
        formatQuantity(summary.worstLeaveOneOut, 'fraction'),
      ].join(' ');
    const tableRows = elements(page, (element) => element.tagName === 'tr').map((tr) =>
      tr.children
        .filter((child): child is Element => child.type === 'element')
        .map((cell) => toString(cell).trim())
        .join(' '),
    );
    expect(tableRows).toContain(row('All training runs', errors.all));
    expect(tableRows).toContain(row('Held-out runs, added after it was built', errors.heldOut));
    expect(text).toContain('leave-one-out');
  });
});
