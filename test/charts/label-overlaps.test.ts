import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {findLabelOverlaps, segmentMeetsBox, type SceneMark} from '../../src/charts/label-overlaps.js';

/** A chart's scene: a root group translated like Vega's, holding the marks given. */
const scene = (...marks: SceneMark[]): SceneMark => ({
  marktype: 'group',
  role: 'frame',
  items: [{x: 10, y: 20, items: marks}],
});
const label = (text: string, x1: number, y1: number, x2: number, y2: number): SceneMark => ({
  marktype: 'text',
  role: 'mark',
  items: [{text, bounds: {x1, y1, x2, y2}}],
});

describe('findLabelOverlaps', () => {
  it('finds a label on a horizontal reference line, or a whisker running into its start', () => {
    // The line 2 px below the text: too close to read apart (the "2.47M GPU-h" case).
    const line: SceneMark = {marktype: 'rule', role: 'mark', items: [{x: 0, y: 166.8, x2: 560}]};
    expect(findLabelOverlaps(scene(label('2.47M GPU-h', 468, 153.8, 539, 164.8), line))).toEqual([
      {label: '2.47M GPU-h', over: 'a rule'},
    ]);
    // A whisker ending 4 px before a value reads as a minus sign (the "42.1" case).
    const whisker: SceneMark = {marktype: 'rule', role: 'mark', items: [{x: 373, y: 98, x2: 404}]};
    expect(findLabelOverlaps(scene(label('42.1', 408, 92, 428, 103), whisker))).toHaveLength(1);
  });

  it('lets a label stand 4 px beside a vertical reference line, and clear of a horizontal one by 4 px', () => {
    const vertical: SceneMark = {marktype: 'rule', role: 'mark', items: [{x: 35, y: 0, y2: 120}]};
    expect(findLabelOverlaps(scene(label('at the measured MFU', 39, -1, 161, 11), vertical))).toEqual([]);
    const below: SceneMark = {marktype: 'rule', role: 'mark', items: [{x: 0, y: 40, x2: 500}]};
    expect(findLabelOverlaps(scene(label('clear', 10, 25, 60, 36), below))).toEqual([]);
  });

  it('finds labels crossing the edge of a bar, but not labels wholly inside one (heat-map cells)', () => {
    const cell: SceneMark = {marktype: 'rect', role: 'mark', items: [{x: 0, y: 0, width: 100, height: 30}]};
    expect(findLabelOverlaps(scene(label('inside', 10, 5, 90, 20), cell))).toEqual([]);
    expect(findLabelOverlaps(scene(label('compute-demand-rebound', 50, 5, 160, 20), cell))).toEqual([
      {label: 'compute-demand-rebound', over: 'the edge of a bar'},
    ]);
    // A bar drawn with negative width (leftwards) is the same bar.
    const leftwards: SceneMark = {marktype: 'rect', role: 'mark', items: [{x: 100, y: 0, width: -100, height: 30}]};
    expect(findLabelOverlaps(scene(label('across', 90, 5, 130, 20), leftwards))).toHaveLength(1);
    // Invisible rects (a transparent hit area) are not bars.
    const invisible: SceneMark = {
      marktype: 'rect',
      role: 'mark',
      items: [{x: 0, y: 0, width: 100, height: 30, fillOpacity: 0, strokeOpacity: 0}],
    };
    expect(findLabelOverlaps(scene(label('across', 90, 5, 130, 20), invisible))).toEqual([]);
  });

  it('reads a label over a field of cells (a heat map) and a label over its own halo as intended', () => {
    const cells: SceneMark = {
      marktype: 'rect',
      role: 'mark',
      items: [0, 1, 2, 3].map((index) => ({x: index * 20, y: 0, width: 20, height: 20})),
    };
    expect(findLabelOverlaps(scene(label('across the field', 5, 4, 75, 16), cells))).toEqual([]);
    // A short label over a grid of cells crosses one or two edges only: still a heat map's label.
    const grid: SceneMark = {
      marktype: 'rect',
      role: 'mark',
      items: [0, 1, 2].flatMap((row) =>
        [0, 1, 2].map((column) => ({x: column * 20, y: row * 20, width: 20, height: 20})),
      ),
    };
    expect(findLabelOverlaps(scene(label('1', 16, 4, 24, 16), grid))).toEqual([]);
    // Stacked bars never fill their grid (three bars of three segments at other offsets): a label across an edge is found.
    const stacked: SceneMark = {
      marktype: 'rect',
      role: 'mark',
      items: [
        [0, 30, 50],
        [0, 40, 70],
        [0, 20, 60],
      ].flatMap((starts, row) =>
        starts.map((x, index) => ({x, y: row * 20, width: (starts[index + 1] ?? 90) - x, height: 18})),
      ),
    };
    expect(findLabelOverlaps(scene(label('1', 26, 4, 34, 14), stacked))).toEqual([
      {label: '1', over: 'the edge of a bar'},
    ]);
    const halo = label('haloed', 0, 0, 50, 12);
    expect(findLabelOverlaps(scene(halo, label('haloed', 0, 0, 50, 12)))).toEqual([]);
  });

  it('finds labels over points, lines, axis ticks and other labels, and ignores hidden ones and axis text', () => {
    const point: SceneMark = {marktype: 'symbol', role: 'mark', items: [{bounds: {x1: 20, y1: 20, x2: 30, y2: 30}}]};
    expect(findLabelOverlaps(scene(label('p', 25, 22, 60, 33), point))).toEqual([{label: 'p', over: 'a point'}]);
    const line: SceneMark = {
      marktype: 'line',
      role: 'mark',
      items: [
        {x: 0, y: 50},
        {x: 100, y: 0},
      ],
    };
    expect(findLabelOverlaps(scene(label('l', 40, 20, 60, 30), line))).toEqual([{label: 'l', over: 'a line'}]);
    const tick: SceneMark = {marktype: 'rule', role: 'axis-tick', items: [{x: 50, y: 0, y2: 100}]};
    expect(findLabelOverlaps(scene(label('t', 40, 20, 60, 30), tick))).toEqual([{label: 't', over: 'an axis tick'}]);
    // Beside an axis tick is where axis-adjacent labels live: not a collision.
    expect(findLabelOverlaps(scene(label('t', 52, 20, 60, 30), tick))).toEqual([]);
    expect(findLabelOverlaps(scene(label('a', 0, 0, 50, 12), label('b', 40, 2, 90, 14)))).toEqual([
      {label: 'a', over: 'the label "b"'},
      {label: 'b', over: 'the label "a"'},
    ]);
    const hidden: SceneMark = {
      marktype: 'text',
      role: 'mark',
      items: [{text: 'h', opacity: 0, bounds: {x1: 0, y1: 0, x2: 50, y2: 12}}],
    };
    expect(findLabelOverlaps(scene(hidden, label('b', 40, 2, 90, 14)))).toEqual([]);
    const axisLabel: SceneMark = {
      marktype: 'text',
      role: 'axis-label',
      items: [{text: '0.4', bounds: {x1: 0, y1: 0, x2: 50, y2: 12}}],
    };
    expect(findLabelOverlaps(scene(axisLabel, label('b', 40, 2, 90, 14)))).toEqual([
      {label: 'b', over: 'the label "0.4"'},
    ]);
    expect(findLabelOverlaps(scene(axisLabel))).toEqual([]);
  });

  it('works in absolute pixels: a mark in a nested group is moved by every group around it', () => {
    const inner: SceneMark = {
      marktype: 'group',
      items: [{x: 100, y: 0, items: [{marktype: 'rule', role: 'mark', items: [{x: 0, y: 5, x2: 50}]}]}],
    };
    expect(findLabelOverlaps(scene(label('x', 110, 0, 140, 10), inner))).toHaveLength(1);
    expect(findLabelOverlaps(scene(label('x', 10, 0, 40, 10), inner))).toEqual([]);
  });
});

describe('segmentMeetsBox', () => {
  const box = {x1: 0, y1: 0, x2: 10, y2: 10};
  it('is true exactly when a segment passes through the inside of the box (property, against sampling the segment)', () => {
    const coordinate = fc.integer({min: -20, max: 30});
    fc.assert(
      fc.property(coordinate, coordinate, coordinate, coordinate, (x, y, x2, y2) => {
        let inside = false;
        for (let step = 0; step <= 400 && !inside; step++) {
          const t = step / 400;
          const px = x + (x2 - x) * t;
          const py = y + (y2 - y) * t;
          inside = px > 0.05 && px < 9.95 && py > 0.05 && py < 9.95;
        }
        const strictlyOutside =
          [x, x2].every((v) => v <= 0) ||
          [x, x2].every((v) => v >= 10) ||
          [y, y2].every((v) => v <= 0) ||
          [y, y2].every((v) => v >= 10);
        if (inside) expect(segmentMeetsBox(box, [x, y, x2, y2])).toBe(true);
        if (strictlyOutside) expect(segmentMeetsBox(box, [x, y, x2, y2])).toBe(false);
      }),
    );
  });
});
