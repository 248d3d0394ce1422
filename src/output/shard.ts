import path from 'node:path';
import {z} from 'zod';
import {usageHashesSchema} from '../data/catalog-usage.js';
import {parseJsonAt} from '../data/json-file.js';
import {projectFiles, readFailure} from '../data/project-files.js';
import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {DiagnosticsError, replayWarnings, storedWarningSchema, type StoredWarning} from '../diagnostics/diagnostics.js';
import {siteInfoSchema} from '../render/site-info.js';
import {pageSpill, type PageSpill} from './page-spill.js';
import {laidOut, storedReportSchema, type LayoutOptions, type StoredReport} from './site-files.js';
import {MAX_SHARD_COUNT} from '../project.js';
import {toolIdentity, toolIdentitySchema} from '../tool/identity.js';
import type {BuiltReport, SiteMeta} from './publish-site.js';
import type {SiteWriter} from './site-writer.js';

/** One part of a sharded build: `--shard 2/3` is index 2 of count 3 (index 1-based). */
const shardSpecSchema = z
  .object({index: z.number().int().min(1), count: z.number().int().min(1).max(MAX_SHARD_COUNT)})
  .refine((shard) => shard.index <= shard.count, 'expected the index at most the count');
export type ShardSpec = Readonly<z.infer<typeof shardSpecSchema>>;

/** The file describing a shard, in its output folder. */
export const SHARD_FILE = 'shard.json';

/** A report as a shard keeps it (JSON, keys in the order written): laid out, its content a tree (checked as the cache's is). */
interface ShardReport extends Omit<BuiltReport, 'report'> {
  readonly report: StoredReport;
}
const shardReportSchema: z.ZodType<ShardReport> = z.object({
  report: storedReportSchema,
  templateHash: z.string(),
  uses: usageHashesSchema,
});

const siteMetaSchema: z.ZodType<SiteMeta> = z.object({
  inputs: z.record(z.string(), z.string()),
  sampling: z.object({samples: z.number().int(), seed: z.number().int()}),
  pdfDate: z.string(),
  warnings: z.array(storedWarningSchema),
  site: siteInfoSchema,
  sources: z.record(z.string(), z.string()),
  scenarios: z.record(z.string(), z.object({kind: z.string(), file: z.string(), inputs: z.unknown()})),
  explorer: z
    .object({
      sampling: z.object({samples: z.number().int(), seed: z.number().int()}),
      catalog: z.string(),
      scenarios: z.array(z.object({id: z.string(), name: z.string(), kind: z.string()})),
    })
    .optional(),
});

/** `shard.json`: what `tradeoffs merge` needs to check that shards belong together and to join them. */
const shardFileSchema = z.object({
  format: z.literal(1),
  shard: shardSpecSchema,
  tool: toolIdentitySchema,
  meta: siteMetaSchema,
  /** Every report template of the project, so merge can tell a missing shard. */
  templates: z.array(z.string()).readonly(),
  /** The reports of this shard: their files under `reports/` (never a path out of the shard's folder). */
  reports: z
    .array(z.string().regex(/^reports\/[a-z0-9][a-z0-9.-]*\.json$/, 'expected `reports/<slug>.json`'))
    .readonly(),
});
type ShardFile = Readonly<z.infer<typeof shardFileSchema>>;

/** Parse `k/n` (1 ≤ k ≤ n ≤ MAX_SHARD_COUNT); `undefined` when it is not one. */
export function parseShard(text: string): ShardSpec | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const shard = shardSpecSchema.safeParse({index: Number(match[1]), count: Number(match[2])});
  return shard.success ? shard.data : undefined;
}

/**
 * Whether the template at `position` (in sorted order) belongs to `shard`:
 * round robin, so shards get similar shares of a sorted list and the split
 * depends only on the template names.
 */
export function shardOf(position: number, shard: ShardSpec): boolean {
  return position % shard.count === shard.index - 1;
}

/** Write a shard's rendered reports and its `shard.json` with `writer` (on disk: atomically, like a site). */
export async function writeShard(
  writer: SiteWriter,
  shard: ShardSpec,
  templates: readonly string[],
  reports: readonly BuiltReport[],
  meta: SiteMeta,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const {report, templateHash, uses} of reports) {
    if (!report.stored) throw new Error(`${report.slug} was not kept for a shard`);
    const kept: ShardReport = {report: report.stored, templateHash, uses};
    files.set(`reports/${report.slug}.json`, `${JSON.stringify(kept)}\n`);
  }
  const description: ShardFile = {format: 1, shard, tool: toolIdentity(), meta, templates, reports: [...files.keys()]};
  files.set(SHARD_FILE, `${JSON.stringify(description, null, 1)}\n`);
  // The build holds the writer (claim()).
  await writer.write(files);
  return files;
}

/**
 * Read the shards of one build and join them: every shard of the same count
 * once, made by this tool from the same inputs, covering every template.
 * Anything else is an error naming the shard folder. A shard is input: only
 * regular files inside its folder are read, and its reports are checked like
 * the cache's (storedReportSchema: names, downloads, and content a render
 * could have made), so merge publishes nothing a fresh build would not.
 * Each report is laid out with `layout` (its print section when the site
 * gets its PDF), its body kept by `spill`.
 */
export async function readShards(
  dirs: readonly string[],
  diagnostics: Diagnostics,
  layout: Pick<LayoutOptions, 'print'> = {},
  spill: PageSpill = pageSpill(undefined),
): Promise<{reports: BuiltReport[]; meta: SiteMeta}> {
  const shards: Array<{dir: string; file: ShardFile}> = [];
  for (const dir of dirs) {
    const where = path.join(dir, SHARD_FILE);
    let text: string;
    try {
      text = await projectFiles(dir).readText(SHARD_FILE);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      diagnostics.error(
        where,
        code === 'ENOENT'
          ? 'Not a shard: no shard.json here, expected the --out folder of `tradeoffs build --shard k/n`'
          : `Cannot read the shard: ${readFailure(error)}`,
        undefined,
        'io-error',
      );
      continue;
    }
    const file = parseJsonAt(where, text, shardFileSchema, diagnostics);
    if (file) shards.push({dir, file});
  }
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  const first = shards[0];
  if (!first) {
    diagnostics.error(
      '<command line>',
      'Expected the shard folders to merge: tradeoffs merge <dir>...',
      undefined,
      'io-error',
    );
    throw new DiagnosticsError(diagnostics);
  }
  const fingerprint = toolIdentity().fingerprint;
  const seen = new Set<number>();
  for (const {dir, file} of shards) {
    const where = path.join(dir, SHARD_FILE);
    const fail = (reason: string) => diagnostics.error(where, reason, undefined, 'io-error');
    if (file.tool.fingerprint !== fingerprint)
      fail(
        `Made by another build of tradeoffs (${file.tool.version}, ${file.tool.fingerprint}), expected this one (${fingerprint}): build every shard with the same tool that merges them`,
      );
    else if (file.shard.count !== first.file.shard.count)
      fail(
        `Shard ${file.shard.index}/${file.shard.count} does not belong with ${first.file.shard.index}/${first.file.shard.count} (${first.dir}): expected /${first.file.shard.count}`,
      );
    else if (
      JSON.stringify(file.meta.inputs) !== JSON.stringify(first.file.meta.inputs) ||
      JSON.stringify(file.meta.sampling) !== JSON.stringify(first.file.meta.sampling)
    ) {
      fail(
        `Built from other inputs than ${path.join(first.dir, SHARD_FILE)}: rebuild every shard from the same commit`,
      );
    } else if (seen.has(file.shard.index)) fail(`Shard ${file.shard.index}/${file.shard.count} is given twice`);
    seen.add(file.shard.index);
  }
  for (let index = 1; index <= first.file.shard.count; index++) {
    if (!seen.has(index))
      diagnostics.error(
        '<command line>',
        `Missing shard ${index}/${first.file.shard.count}: pass every shard folder of the build`,
        undefined,
        'io-error',
      );
  }
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  const bySlug = new Map<string, BuiltReport>();
  for (const {dir, file} of shards) {
    for (const name of file.reports) {
      const where = path.join(dir, name);
      let text: string;
      try {
        // Only a regular file inside the shard's folder: a link out of it (to /etc/passwd) is refused, never read.
        text = await projectFiles(dir).readText(name);
      } catch (error) {
        diagnostics.error(
          where,
          `Cannot read a report ${SHARD_FILE} lists (${readFailure(error)})`,
          undefined,
          'io-error',
        );
        continue;
      }
      const built = parseJsonAt(where, text, shardReportSchema, diagnostics);
      // Laid out at once: merge keeps the report's strings, not its tree.
      if (built) bySlug.set(built.report.slug, {...built, report: await spill.keep(laidOut(built.report, layout))});
    }
  }
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  // Reports in template order, as a single build lists them.
  const reports = first.file.templates.map((template) => {
    const slug = path.basename(template, '.mdx');
    const built = bySlug.get(slug);
    if (!built) diagnostics.error('<command line>', `No shard holds the report of ${template}`, undefined, 'io-error');
    return built as BuiltReport;
  });
  if (diagnostics.hasErrors) throw new DiagnosticsError(diagnostics);
  // Warnings are the same in every shard (data warnings) or belong to one report: report each once.
  const warnings = new Map<string, StoredWarning>();
  for (const {file} of shards) for (const warning of file.meta.warnings) warnings.set(JSON.stringify(warning), warning);
  replayWarnings([...warnings.values()], diagnostics);
  return {reports, meta: {...first.file.meta, warnings: [...warnings.values()]}};
}
