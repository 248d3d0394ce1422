import type {Diagnostics} from '../diagnostics/diagnostics.js';
import type {RenderedReport} from '../render/render-report.js';

/**
 * Check that every figure prints one value across the site: numbers with
 * the same figure key (one setup under one set of assumptions, whatever
 * scenario a page asked it of: src/check/setups.ts) must print the same
 * text on every page. A mismatch is an error at each template that prints
 * the figure otherwise than the first page to print it does, naming both.
 */
export function checkConsistentFigures(
  reports: ReadonlyArray<Pick<RenderedReport, 'path' | 'numbers'>>,
  diagnostics: Diagnostics,
): void {
  const first = new Map<string, {report: Pick<RenderedReport, 'path'>; id: string; text: string}>();
  const reported = new Set<string>();
  for (const report of [...reports].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    for (const number of report.numbers) {
      if (number.figure === undefined) continue;
      const seen = first.get(number.figure);
      if (!seen) {
        first.set(number.figure, {report, id: number.id, text: number.text});
        continue;
      }
      if (seen.text === number.text) continue;
      const key = `${report.path}\0${number.figure}`;
      if (reported.has(key)) continue;
      reported.add(key);
      diagnostics.error(
        report.path,
        `\`${number.id}\` prints ${number.text}, but ${seen.report.path} prints the same figure (\`${seen.id}\`) as ${seen.text}: ` +
          'a figure shows one value on every page, expected the same scenario point, assumptions and format',
        undefined,
        'figure-mismatch',
      );
    }
  }
}
