import {describe, expect, it} from 'vitest';
import {countMarkItems, inputSize, MAX_INPUT_ROWS} from '../../src/charts/chart-limits.js';
import {renderChartSvg} from '../../src/charts/render-svg.js';

const points = (count: number) => Array.from({length: count}, (_, index) => ({x: index, y: (index * 7) % 13}));
const scatter = {
  mark: 'point',
  encoding: {x: {field: 'x', type: 'quantitative'}, y: {field: 'y', type: 'quantitative'}},
};

describe('the chart limit counts what is drawn', () => {
  it('draws 20,000 rows binned into a histogram (what is drawn is 20 bars)', async () => {
    const {svg} = await renderChartSvg({
      data: {values: points(20_000)},
      mark: 'bar',
      encoding: {x: {field: 'x', bin: {maxbins: 20}, type: 'quantitative'}, y: {aggregate: 'count'}},
    });
    expect((svg.match(/<path[^>]*role="graphics-symbol"/g) ?? []).length).toBeLessThanOrEqual(20);
  });

  it('refuses 6,000 points given inline', async () => {
    await expect(renderChartSvg({data: {values: points(6000)}, ...scatter})).rejects.toThrow(
      /draws 6,000 marks, expected at most 5,000/,
    );
  });

  it('refuses points given through named datasets', async () => {
    await expect(renderChartSvg({datasets: {rows: points(60_000)}, data: {name: 'rows'}, ...scatter})).rejects.toThrow(
      /draws 60,000 marks/,
    );
  });

  it('refuses points a sequence generates', async () => {
    await expect(
      renderChartSvg({
        data: {sequence: {start: 0, stop: 100_000, as: 'x'}},
        mark: 'point',
        encoding: {x: {field: 'x', type: 'quantitative'}},
      }),
    ).rejects.toThrow(/draws 100,000 marks/);
  });

  it('refuses points given as CSV text', async () => {
    const csv = ['x,y', ...points(6000).map(({x, y}) => `${x},${y}`)].join('\n');
    await expect(renderChartSvg({data: {values: csv, format: {type: 'csv'}}, ...scatter})).rejects.toThrow(
      /draws 6,000 marks/,
    );
  });

  it('refuses a sequence of millions before Vega generates it', async () => {
    const started = performance.now();
    await expect(
      renderChartSvg({
        data: {sequence: {start: 0, stop: 5_000_000, as: 'x'}},
        mark: 'bar',
        encoding: {x: {field: 'x', bin: true, type: 'quantitative'}, y: {aggregate: 'count'}},
      }),
    ).rejects.toThrow(/reads 5,000,000 rows of data, expected at most 250,000/);
    // Refused from the spec alone: generating 5 million rows takes seconds and gigabytes.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('inputSize', () => {
  it('counts lists, text lines, datasets and sequences', () => {
    expect(
      inputSize({
        data: {values: 'a\n1\n2'},
        datasets: {one: [1, 2, 3]},
        layer: [{data: {sequence: {start: 0, stop: 1, step: 0.1}}}, {data: {values: [1]}}],
        config: {data: {values: [1, 2, 3, 4]}},
      }).rows,
    ).toBe(3 + 3 + 10 + 1);
  });

  it('counts an object (topojson) by its text and a broken sequence as too long', () => {
    expect(inputSize({data: {values: {type: 'Topology'}}}).characters).toBe(19);
    expect(inputSize({data: {sequence: {start: 0, stop: 1, step: 0}}}).rows).toBeGreaterThan(MAX_INPUT_ROWS);
  });
});

describe('countMarkItems', () => {
  it('counts the items of marks, not of guides, inside groups', () => {
    const group = (marks: object[]) => ({marktype: 'group', role: 'scope', items: [{items: marks}]});
    const root = group([
      {marktype: 'symbol', role: 'mark', items: [{}, {}, {}]},
      group([{marktype: 'text', role: 'axis-label', items: [{}, {}]}]),
      group([{marktype: 'line', role: 'mark', items: [{}, {}]}]),
    ]);
    expect(countMarkItems(root)).toBe(5);
  });
});
