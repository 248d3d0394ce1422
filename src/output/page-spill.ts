import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {jsonLine, toJsonLines} from '../data/json-file.js';
import type {EstimatedPoint} from '../render/components/page-state.js';
import {foreignExtra, reportBodySchema, reportExtraSchemas, type LaidOutReport, type ReportBody} from './site-files.js';

/**
 * What a build keeps of its laid-out reports until the site is written, and
 * how: each report's body (its page's content, print section and chart
 * downloads) in a file of a temporary folder, read back one at a time as
 * the site is written, so the build holds one page, not the whole site (at
 * 200 reports, about 80 MB of pages and downloads); its extras (tables and
 * search sections, about 120 KB a report) in another, a line each, each read
 * back alone, by the search index and by the manifest; and its estimates (the
 * site's downloads) shared with the reports that made the same estimate
 * (the same scenario at the same point, to the same numbers), not copied
 * per report. Read back, a body or extras are checked like any input (reportBodySchema, reportExtraSchemas).
 * `dispose` removes the folder.
 */
export interface PageSpill {
  /** The same report, its body kept in a file (on disk) and its estimates shared. */
  keep(report: LaidOutReport): Promise<LaidOutReport>;
  dispose(): Promise<void>;
}

/** The extras, in the order of their lines. */
const EXTRAS = ['tables', 'search'] as const;

/**
 * A spill in a new folder under `parent` (the system's temporary folder, for
 * a build that writes a folder), or none (`undefined`): bodies stay in
 * memory (the dev server, `check`, tests).
 */
export function pageSpill(parent: string | undefined): PageSpill {
  const share = estimateSharing();
  if (parent === undefined)
    return {keep: async (report) => ({...report, estimates: share(report.estimates)}), dispose: async () => undefined};
  let folder: Promise<string> | undefined;
  let count = 0;
  return {
    keep: async (report) => {
      folder ??= mkdtemp(path.join(parent, 'tradeoffs-pages-'));
      const file = path.join(await folder, `${count++}`);
      await writeFile(`${file}.json`, JSON.stringify(await report.body()));
      // Not in a function of its own: a closure here that read `report` would keep it, page and all, with `body` and `extra`.
      await writeFile(
        `${file}.extras.json`,
        toJsonLines([await report.extra(EXTRAS[0]), await report.extra(EXTRAS[1])]),
      );
      const body = async (): Promise<ReportBody> =>
        reportBodySchema.parse(JSON.parse(await readFile(`${file}.json`, 'utf8')));
      const {slug} = report;
      const extra: LaidOutReport['extra'] = async (part) => {
        const line = jsonLine(await readFile(`${file}.extras.json`), EXTRAS.indexOf(part));
        const value = reportExtraSchemas[part].parse(JSON.parse(line ?? 'null'));
        const foreign = foreignExtra(slug, part, value);
        if (foreign !== undefined) throw new Error(`A kept report's ${part}: ${foreign}`);
        return value;
      };
      return {...report, estimates: share(report.estimates), body, extra};
    },
    dispose: async () => {
      if (folder) await rm(await folder, {recursive: true, force: true});
    },
  };
}

/**
 * Estimates equal to one seen before (same scenario, point and numbers, as
 * JSON) replaced by that one: reports that ask for the same sweep hold one
 * copy of it. An estimate that differs keeps its own, so the site's
 * downloads (scenarioDownloads: the first report's, in report order) are
 * what they were.
 */
function estimateSharing(): (estimates: readonly EstimatedPoint[]) => readonly EstimatedPoint[] {
  const seen = new Map<string, EstimatedPoint>();
  return (estimates) =>
    estimates.map((estimate) => {
      const text = JSON.stringify(estimate);
      const known = seen.get(text);
      if (known) return known;
      seen.set(text, estimate);
      return estimate;
    });
}
