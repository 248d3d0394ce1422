import type {Root} from 'hast';
import {toString} from 'hast-util-to-string';
import {beforeAll, describe, expect, it} from 'vitest';
import type {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {tableRows} from '../helpers/page-tables.js';
import {renderBundledPage} from '../helpers/render-page.js';
import {CALIBRATION_TARGETS, calibrateCatalog} from '../../src/estimate/training/calibrate-catalog.js';
import {formatQuantity} from '../../src/render/format-quantity.js';

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
  ({page, messages, catalog} = await renderBundledPage(TEMPLATE));
}, 120_000);

describe('the calibration page', () => {
  it('renders without a message', () => {
    expect(messages).toEqual([]);
  });

  it("counts the runs within the calibration's target as `tradeoffs calibrate` checks it (CALIBRATION_TARGETS)", () => {
    const {rows} = calibrateCatalog(catalog);
    const target = CALIBRATION_TARGETS.everyRunLeaveOneOut;
    const predicted = rows.filter((row) => row.throughputRatio !== undefined);
    const within = predicted.filter(
      (row) => row.looRelativeError !== undefined && Math.abs(row.looRelativeError) <= target,
    ).length;
    expect(toString(page).replace(/\s+/g, ' ')).toContain(
      `${within} of ${predicted.length} runs are within ${formatQuantity(target, 'fraction')}, the calibration's target.`,
    );
  });

  it("prints each run's reported and predicted figures in its metric's unit", () => {
    const rows = tableRows(page, ['Run']);
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

  it('prints the groups of leave-one-out errors the calibration computes, every predicted run once', () => {
    const rows = tableRows(page, ['Model · chip · precision']);
    const calibration = calibrateCatalog(catalog);
    const predicted = calibration.rows.filter(
      (row) => row.looThroughputRatio !== undefined && row.hardwareId !== undefined,
    );
    expect(rows.reduce((sum, row) => sum + Number(row[2]), 0)).toBe(predicted.length);
    expect(rows).toHaveLength(calibration.groups.length);
    const signed = (value: number) => `${value >= 0 ? '+' : ''}${formatQuantity(value, 'fraction')}`;
    for (const group of calibration.groups) {
      const kind = group.ffn === 'moe' ? 'Mixture of experts' : 'Dense';
      const key = `${kind} · ${catalog.hardware.get(group.hardwareId)?.name} · ${group.precision.toUpperCase()}`;
      const row = rows.find((cells) => cells[0] === key);
      expect(row, key).toBeDefined();
      const [, models, runs, printed, low, high] = row as string[];
      expect(Number(runs), key).toBe(group.runIds.length);
      expect(models, key).toBe(group.modelIds.map((id) => catalog.models.get(id)?.name).join(', '));
      expect([printed, low, high], key).toEqual([
        signed(group.medianSpeedError),
        signed(group.lowestSpeedError),
        signed(group.highestSpeedError),
      ]);
    }
  });
});
