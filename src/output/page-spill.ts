import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {reportBodySchema, type LaidOutReport, type ReportBody} from './site-files.js';

/**
 * Where a build keeps laid-out reports' bodies (their pages' content, print
 * sections and chart downloads) from when each is laid out until its page
 * is written: a file each in a temporary folder, read back one at a time as
 * the site is written, so the build holds one page, not the whole site (at
 * 200 reports, about 80 MB of pages and downloads). Read back, a body is
 * checked like any input (reportBodySchema). `dispose` removes the folder.
 */
export interface PageSpill {
  /** The same report, its body kept in a file. */
  keep(report: LaidOutReport): Promise<LaidOutReport>;
  dispose(): Promise<void>;
}

/**
 * A spill in a new folder under `parent` (the system's temporary folder, for
 * a build that writes a folder), or none (`undefined`): bodies stay in
 * memory (the dev server, `check`, tests).
 */
export function pageSpill(parent: string | undefined): PageSpill {
  if (parent === undefined) return {keep: async (report) => report, dispose: async () => undefined};
  let folder: Promise<string> | undefined;
  let count = 0;
  return {
    keep: async (report) => {
      folder ??= mkdtemp(path.join(parent, 'tradeoffs-pages-'));
      const file = path.join(await folder, `${count++}.json`);
      await writeFile(file, JSON.stringify(await report.body()));
      const body = async (): Promise<ReportBody> => reportBodySchema.parse(JSON.parse(await readFile(file, 'utf8')));
      return {...report, body};
    },
    dispose: async () => {
      if (folder) await rm(await folder, {recursive: true, force: true});
    },
  };
}
