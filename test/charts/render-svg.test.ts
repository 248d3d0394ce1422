import {describe, expect, it} from 'vitest';
import {renderChartSvg} from '../../src/charts/render-svg.js';
import {measureText} from '../../src/charts/text-metrics.js';

const width = (svg: string) => Number(/^<svg [^>]*\swidth="([\d.]+)"/.exec(svg)?.[1]);

describe('renderChartSvg', () => {
  it('lays a cut axis label out at its cut width, not its whole width', async () => {
    const label = 'A band label far longer than the hundred pixels its axis allows it';
    const spec = (labelLimit: number) => ({
      data: {values: [{name: label, value: 1}]},
      width: 200,
      mark: 'bar',
      encoding: {y: {field: 'name', type: 'nominal', axis: {labelLimit}}, x: {field: 'value', type: 'quantitative'}},
    });
    const cut = await renderChartSvg(spec(100));
    const whole = await renderChartSvg(spec(1000));
    expect(cut.svg).toContain('…</text>');
    // The plot is 200 px either way; the cut label takes 100 px at most, the whole one far more.
    expect(width(cut.svg)).toBeLessThanOrEqual(200 + 100 + 40);
    expect(width(whole.svg)).toBeGreaterThan(width(cut.svg) + 150);
  });

  it('warns of a label drawn over a rule, and not of one clear of it', async () => {
    const spec = (dy: number) => ({
      width: 300,
      height: 100,
      layer: [
        {
          data: {values: [{y: 5}]},
          mark: 'rule',
          encoding: {y: {field: 'y', type: 'quantitative', scale: {domain: [0, 10]}}},
        },
        {
          data: {values: [{x: 5, y: 5, text: 'on the line'}]},
          mark: {type: 'text', dy},
          encoding: {
            x: {field: 'x', type: 'quantitative', scale: {domain: [0, 10]}},
            y: {field: 'y', type: 'quantitative'},
            text: {field: 'text'},
          },
        },
      ],
    });
    expect((await renderChartSvg(spec(0))).warnings).toContain('label "on the line" is drawn over a rule');
    expect((await renderChartSvg(spec(-15))).warnings).toEqual([]);
  });

  it('draws a fitted chart whose marks reach past its plot whole, within the width it was fitted to', async () => {
    // A label at a reference line, which Vega's fit alone leaves cut at the right edge.
    const spec = {
      width: 340,
      height: {step: 30},
      autosize: {type: 'fit-x', contains: 'padding'},
      layer: [
        {
          data: {
            values: [
              {name: 'first layout', seconds: 20},
              {name: 'second layout', seconds: 24},
            ],
          },
          mark: 'bar',
          encoding: {
            y: {field: 'name', type: 'nominal', title: null},
            x: {field: 'seconds', type: 'quantitative', title: 'Seconds per step'},
          },
        },
        {data: {values: [{seconds: 22}]}, mark: 'rule', encoding: {x: {field: 'seconds', type: 'quantitative'}}},
        {
          data: {values: [{seconds: 22, text: 'a label reaching past the plot'}]},
          mark: {type: 'text', align: 'left', baseline: 'top', dx: 4, y: 0},
          encoding: {x: {field: 'seconds', type: 'quantitative'}, text: {field: 'text'}},
        },
      ],
    };
    const {svg} = await renderChartSvg(spec);
    expect(width(svg)).toBeLessThanOrEqual(340);
    // Where the label ends: the translations of every group around it and its own, plus its width.
    const at = svg.indexOf('>a label reaching past the plot</text>');
    expect(at).toBeGreaterThan(0);
    const before = svg.slice(0, at);
    const stack: number[] = [];
    for (const [tag] of before.matchAll(/<\/?g\b[^>]*>/g)) {
      if (tag === '</g>') stack.pop();
      else stack.push(Number(/transform="translate\(([-\d.]+),/.exec(tag)?.[1] ?? 0));
    }
    const own = Number(/transform="translate\(([-\d.]+),[-\d.]+\)"[^>]*$/.exec(before)?.[1]);
    const left = stack.reduce((sum, x) => sum + x, 0) + own;
    expect(left + measureText('a label reaching past the plot', 11, 400)).toBeLessThanOrEqual(width(svg));
  });
});
