import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {narrowSpec, narrowVariantServes, NARROW_CHART_WIDTH, wrapText} from '../../src/charts/narrow-spec.js';
import {chartTheme, themedConfig} from '../../src/charts/theme.js';

/** A spec as nested records, read loosely in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const bars = {
  data: {values: [{name: 'a', value: 1, fontSize: 3}]},
  width: 560,
  height: {step: 30},
  mark: {type: 'bar'},
  encoding: {
    y: {field: 'name', type: 'nominal', axis: {labelLimit: 400, labelFontSize: 9}},
    x: {field: 'value', type: 'quantitative', title: 'A long axis title that will not fit on one line of a phone'},
    color: {field: 'name', type: 'nominal', legend: {orient: 'bottom', columns: 3}},
  },
};

describe('narrowSpec', () => {
  it('fits a single view to the narrow width, text at 12 px or more, legends in one column, axis labels cut at 150 px', () => {
    const narrow = narrowSpec(bars) as Loose;
    expect(narrow.width).toBe(NARROW_CHART_WIDTH);
    expect(narrow.autosize).toEqual({type: 'fit-x', contains: 'padding'});
    expect(narrow.height).toEqual({step: 30});
    expect(narrow.encoding.y.axis).toEqual({labelLimit: 150, labelFontSize: 12});
    expect(narrow.encoding.color.legend).toEqual({orient: 'bottom', columns: 1});
    expect(narrow.config.axis.labelFontSize).toBe(12);
    // The theme's colours stay (text follows the page's theme).
    expect(narrow.config.axis.labelColor).toBe('currentColor');
    // Long titles are broken into lines; data is never touched.
    expect(narrow.encoding.x.title).toEqual(['A long axis title that will not fit', 'on one line of a phone']);
    expect(narrow.data).toBe(bars.data);
    // The spec itself is not changed.
    expect(bars.encoding.y.axis.labelLimit).toBe(400);
  });

  it('leaves composed views alone (they scroll sideways on a phone instead)', () => {
    for (const key of ['hconcat', 'vconcat', 'concat', 'facet', 'repeat'])
      expect(narrowSpec({[key]: [], data: bars.data}), key).toBeUndefined();
    expect(narrowSpec({...bars, encoding: {...bars.encoding, column: {field: 'name'}}})).toBeUndefined();
    expect(narrowSpec({layer: [{...bars, encoding: {row: {field: 'name'}}}]})).toBeUndefined();
    expect(narrowSpec(null)).toBeUndefined();
    expect(narrowSpec([bars])).toBeUndefined();
    expect(narrowSpec({data: bars.data})).toBeUndefined();
  });

  it('never makes a font size smaller, nor a limit larger (property)', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 60}), fc.integer({min: 0, max: 1000}), (size, limit) => {
        const narrow = narrowSpec({
          ...bars,
          mark: {type: 'text', fontSize: size},
          encoding: {y: {axis: {labelLimit: limit}}},
        }) as Loose;
        expect(narrow.mark.fontSize).toBe(Math.max(size, 12));
        expect(narrow.encoding.y.axis.labelLimit).toBeLessThanOrEqual(150);
        expect(narrow.encoding.y.axis.labelLimit).toBeGreaterThan(0);
      }),
    );
  });
});

describe('wrapText', () => {
  it('keeps short text whole and breaks long text at spaces into lines of at most 36 characters', () => {
    expect(wrapText('Seconds per step')).toBe('Seconds per step');
    const lines = wrapText('Efficiency factor E (compute per unit of capability, before over after)');
    expect(lines).toEqual(['Efficiency factor E (compute per', 'unit of capability, before over', 'after)']);
  });
});

describe('narrowVariantServes', () => {
  const svg = (width: number) => `<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="${width}" height="10">`;
  it('takes a narrow drawing that fits the phone and draws no label over a mark the wide one keeps clear', () => {
    expect(narrowVariantServes({svg: svg(340), warnings: []}, {warnings: []})).toBe(true);
    expect(narrowVariantServes({svg: svg(358), warnings: []}, {warnings: []})).toBe(true);
    expect(narrowVariantServes({svg: svg(359), warnings: []}, {warnings: []})).toBe(false);
    expect(narrowVariantServes({svg: '<svg>', warnings: []}, {warnings: []})).toBe(false);
    const overlap = 'label "4,096" is drawn over a line';
    expect(narrowVariantServes({svg: svg(340), warnings: [overlap]}, {warnings: []})).toBe(false);
    expect(narrowVariantServes({svg: svg(340), warnings: [overlap]}, {warnings: [overlap]})).toBe(true);
    expect(narrowVariantServes({svg: svg(340), warnings: ['Unknown field']}, {warnings: []})).toBe(true);
  });
});

describe('themedConfig', () => {
  it('merges configs over the theme key by key, so a spec that changes one axis setting keeps the theme colours', () => {
    const merged = themedConfig({axis: {grid: false}}) as Loose;
    expect(merged.axis.grid).toBe(false);
    expect(merged.axis.labelColor).toBe('currentColor');
    expect(themedConfig()).toBe(chartTheme);
    expect(themedConfig(undefined, 'not a config')).toBe(chartTheme);
    expect((themedConfig({range: {category: ['#000']}}) as Loose).range.category).toEqual(['#000']);
  });
});
