import {z} from 'zod';

/**
 * What every page of a site says about how it was made: from data as of
 * when, when it was built (only when the environment says: builds never read
 * the clock, so rebuilds are byte-identical), by which version of the tool and
 * from which commit (when the environment names one: builds never ask git),
 * and which of the site's optional parts exist.
 */
export const siteInfoSchema = z.object({
  /** The date the site is dated by (citations), YYYY-MM-DD: SOURCE_DATE_EPOCH's, else the newest date in the data. */
  date: z.string(),
  /** The build's date, YYYY-MM-DD, when SOURCE_DATE_EPOCH gives it; else null (the site does not know when it was built). */
  builtOn: z.string().nullable(),
  /** The newest "as of" date in the data (YYYY-MM or YYYY-MM-DD), when it has one. */
  dataAsOf: z.string().nullable(),
  /** The commit the inputs come from (SOURCE_COMMIT or GITHUB_SHA), when given. */
  commit: z.string().nullable(),
  /** The data files records are read from, by usage key: one for a record (`hardware:h100-sxm`), every one of its kind for `hardware:*`. */
  recordFiles: z.record(z.string(), z.array(z.string())),
});
export type SiteInfo = Readonly<z.infer<typeof siteInfoSchema>>;

/**
 * How the site was made, as the start of a sentence: "Built 2026-12-05 from
 * data as of 2026-05-18", or "Data as of 2026-05-18" when the build's date is
 * not known (never the data's date passed off as the build's), or null.
 */
export function provenanceOf(info: Pick<SiteInfo, 'builtOn' | 'dataAsOf'>): string | null {
  if (info.builtOn) return `Built ${info.builtOn}${info.dataAsOf ? ` from data as of ${info.dataAsOf}` : ''}`;
  return info.dataAsOf ? `Data as of ${info.dataAsOf}` : null;
}

/** What one build of the site adds to every page besides the reports: PDFs, and the page of changes. */
export interface SiteParts {
  /** The site has PDFs (`pdf/<slug>.pdf`, `pdf/tradeoffs-reports.pdf`) to link to: those of these slugs, and the whole site's when `site`. */
  readonly pdfs: {readonly reports: ReadonlySet<string>; readonly site: boolean};
  /** The site has a page of what changed since a previous build (`changes.html`). */
  readonly changes: boolean;
}

/** The site's pages beside the reports, at its root: addresses no report can take (a report is `<slug>/index.html`). */
export const SITE_PAGES = {
  data: 'data.html',
  changes: 'changes.html',
  notFound: '404.html',
  print: 'print.html',
} as const;

/** Folders of the site beside the reports: copies of the inputs, and every scenario's inputs and outputs. */
export const SITE_FOLDERS = {source: 'source', downloads: 'downloads'} as const;

/** A scenario's inputs as written in its data file. */
export interface ScenarioInputs {
  readonly kind: string;
  /** Its data file, relative to the project. */
  readonly file: string;
  /** The record, uncertain numbers as written (`{low, mode, high}`). */
  readonly inputs: unknown;
}

/** A short commit hash for display. */
export function shortCommit(commit: string): string {
  return /^[0-9a-f]{40}$/i.test(commit) ? commit.slice(0, 12) : commit;
}
