import {describe, expect, it} from 'vitest';
import {refitSpec} from '../../src/charts/fit-content.js';

describe('refitSpec', () => {
  const fitted = {width: 340, autosize: {type: 'fit-x', contains: 'padding'}, mark: 'bar'};
  it('narrows the plot of a fitted chart by what its marks drew past the edge, and pads to the content', () => {
    expect(refitSpec(fitted, {svgWidth: 340, plotWidth: 158, contentRight: 392.4}, 340)).toEqual({
      width: 105,
      autosize: {type: 'pad'},
      mark: 'bar',
    });
    // Again on the padded drawing, while it is still wider than the first.
    expect(refitSpec(fitted, {svgWidth: 352, plotWidth: 105, contentRight: 352}, 340)).toMatchObject({width: 93});
  });

  it('leaves charts that fit, charts not fitted, and plots already at their narrowest', () => {
    expect(refitSpec(fitted, {svgWidth: 340, plotWidth: 158, contentRight: 340.3}, 340)).toBeUndefined();
    expect(
      refitSpec({width: 340, mark: 'bar'}, {svgWidth: 340, plotWidth: 158, contentRight: 400}, 340),
    ).toBeUndefined();
    expect(
      refitSpec({...fitted, autosize: 'fit'}, {svgWidth: 340, plotWidth: 158, contentRight: 400}, 340),
    ).toMatchObject({width: 98});
    expect(refitSpec(fitted, {svgWidth: 340, plotWidth: 40, contentRight: 400}, 340)).toBeUndefined();
    expect(refitSpec(fitted, {svgWidth: 340, plotWidth: 60, contentRight: 400}, 340)).toMatchObject({width: 40});
  });
});
