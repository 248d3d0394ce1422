import {describe, expect, it} from 'vitest';
import {checkConsistentFigures} from '../../src/build/consistent-figures.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import type {RenderedReport} from '../../src/render/render-report.js';

/** src/build/consistent-figures.ts: one figure, one value, on every page. */

const report = (path: string, numbers: Array<{id: string; text: string; figure?: string}>): RenderedReport =>
  ({
    path,
    numbers: numbers.map((number) => ({label: 'GPU-hours', value: 1, unit: 'GPU-h', ...number})),
  }) as unknown as RenderedReport;

const messages = (reports: RenderedReport[]) => {
  const diagnostics = new Diagnostics();
  checkConsistentFigures(reports, diagnostics);
  return diagnostics.files.flatMap((file) => file.messages.map((message) => `${file.path}: ${message.reason}`));
};

describe('checkConsistentFigures', () => {
  it('accepts a figure printed alike on every page, under any scenario id', () => {
    expect(
      messages([
        report('templates/a.mdx', [{id: 'run.gpuHours', text: '2.47M GPU-h', figure: 'k.gpuHours'}]),
        report('templates/b.mdx', [
          {id: 'run-by-chip.gpuHours@hardware=h800', text: '2.47M GPU-h', figure: 'k.gpuHours'},
        ]),
      ]),
    ).toEqual([]);
  });

  it('refuses one figure printed two ways, naming both pages and both ids', () => {
    expect(
      messages([
        report('templates/b.mdx', [
          {id: 'run-by-chip.gpuHours@hardware=h800', text: '2.56M GPU-h', figure: 'k.gpuHours'},
        ]),
        report('templates/a.mdx', [{id: 'run.gpuHours', text: '2.47M GPU-h', figure: 'k.gpuHours'}]),
      ]),
    ).toEqual([
      'templates/b.mdx: `run-by-chip.gpuHours@hardware=h800` prints 2.56M GPU-h, but templates/a.mdx prints the same figure (`run.gpuHours`) as 2.47M GPU-h: a figure shows one value on every page, expected the same scenario point, assumptions and format',
    ]);
  });

  it('leaves numbers of other figures, or of none, alone', () => {
    expect(
      messages([
        report('templates/a.mdx', [
          {id: 'run.gpuHours', text: '2.47M GPU-h', figure: 'k.gpuHours'},
          {id: 'owned.gpuHours', text: '2.5M GPU-h', figure: 'other.gpuHours'},
          {id: 'plain', text: '3'},
        ]),
        report('templates/b.mdx', [{id: 'plain', text: '4'}]),
      ]),
    ).toEqual([]);
  });
});
