import {h} from 'hastscript';
import type {Root} from 'hast';
import {describe, expect, it} from 'vitest';
import {pageTables, parseFigure, tableNumbers} from '../../src/render/printed-numbers.js';

describe('parseFigure', () => {
  it.each([
    ['$5.56M', 5.56e6, 'USD'],
    ['2.67M GPU-h (2.3–3.1M GPU-h)', 2.67e6, 'GPU-h'],
    ['38.9%', 38.9, '%'],
    ['3.71×10²⁴ FLOP', 3.71e24, 'FLOP'],
    ['1.54k tokens/s', 1540, 'tokens/s'],
    ['2,048', 2048, ''],
    ['−0.5 days', -0.5, 'days'],
    ['1.87 GWh', 1.87, 'GWh'],
  ])('reads %s', (text, value, unit) => {
    const parsed = parseFigure(text);
    expect((parsed?.value ?? NaN) / value).toBeCloseTo(1, 12);
    expect(parsed?.unit).toBe(unit);
  });
  it.each(['tp 1 · pp 16', 'H100', '–', ''])('finds no figure in %s', (text) =>
    expect(parseFigure(text)).toBeUndefined(),
  );
});

describe('pageTables and tableNumbers', () => {
  const page = (cost: string, gpus: string): Root => ({
    type: 'root',
    children: [
      h('h2', {id: 'costs'}, 'Costs'),
      h('table', [
        h('thead', [h('tr', [h('th', `On ${gpus} H800s`), h('th', 'Cost at $2 per GPU-hour'), h('th', 'Days')])]),
        h('tbody', [
          h('tr', [h('td', 'Reported'), h('td', cost), h('td', [h('span.estimate', '54.4 days')])]),
          h('tr', [h('td', 'Predicted'), h('td', '$4.95M'), h('td', 'n/a')]),
        ]),
      ]),
      h('figure', {id: 'figure-2'}, [
        h('details', [
          h('table', [
            h('tr', [h('th', 'chip'), h('th', 'days')]),
            h('tr', [h('td', 'H100'), h('td', '48.1')]),
            h('tr', [h('td', 'H100'), h('td', '50.2')]),
          ]),
        ]),
      ]),
      h('table', [h('tr', [h('td', 'no numbers here')])]),
    ] as never,
  });

  it('names each number by where it is, with the numbers in its labels masked', () => {
    const numbers = tableNumbers(pageTables(page('$5.56M', '2,048')));
    expect(numbers.map((number) => [number.id, number.value])).toEqual([
      ['section costs table 1: Reported / Cost at $# per GPU-hour', 5.56e6],
      ['section costs table 1: Predicted · n/a / Cost at $# per GPU-hour', 4.95e6],
      ['figure figure-2 table 1: H100 / days', 48.1],
      ['figure figure-2 table 1: H100 #2 / days', 50.2],
    ]);
    // An <Estimate> in a cell is tracked as an estimate, not again here.
    expect(numbers.some((number) => number.text === '54.4 days')).toBe(false);
  });

  it('keeps the ids when the numbers move', () => {
    const before = tableNumbers(pageTables(page('$5.56M', '2,048'))).map((number) => number.id);
    const after = tableNumbers(pageTables(page('$4.97M', '4,096'))).map((number) => number.id);
    expect(after).toEqual(before);
  });
});
