import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {z} from 'zod';
import {usageHashesSchema} from '../data/catalog-usage.js';
import {parseJsonAt} from '../data/json-file.js';
import {storedWarningSchema, type Diagnostics} from '../diagnostics/diagnostics.js';
import {reportNumberSchema, reportTableSchema} from '../render/components/page-state.js';
import {toolIdentitySchema} from '../tool/identity.js';
import {sha256} from '../tool/hash.js';
import {MANIFEST_FILE} from '../project.js';

/** A file of a site, as the manifest names it: a relative path that stays inside the site. */
const siteFileSchema = z
  .string()
  .refine(
    (name) => name !== '' && !name.startsWith('/') && !name.includes('\\') && !name.split('/').includes('..'),
    'expected a path inside the site',
  );

const samplingSchema = z.object({samples: z.number().int(), seed: z.number().int()});

export const manifestReportSchema = z.object({
  slug: z.string(),
  title: z.string(),
  template: z.string(),
  templateHash: z.string(),
  /** Usage key (`hardware:h100`, `scenarios:*`) → the hash of what it named when the report was built. */
  uses: usageHashesSchema.readonly(),
  numbers: z.array(reportNumberSchema.readonly()).readonly(),
  /** The tables it printed (with its charts' data), as text: `compare` reads the numbers out of them. Absent in older manifests. */
  tables: z.array(reportTableSchema.readonly()).readonly().optional(),
});
export type ManifestReport = Readonly<z.infer<typeof manifestReportSchema>>;

/**
 * What a site was built from and what it holds, written beside its pages:
 * the tool, the sampling, a content hash of every input file, each report's
 * template and the data records it used (with their hashes), the numbers it
 * printed, and a hash of every file of the site. The next build reads it to
 * skip work; `tradeoffs compare` reads two of them to say what moved. Keys in
 * the order the build writes them.
 */
export const siteManifestSchema = z.object({
  format: z.literal(1),
  tool: toolIdentitySchema,
  sampling: samplingSchema.readonly(),
  pdf: z.boolean(),
  inputs: z.record(z.string(), z.string()).readonly(),
  reports: z.array(manifestReportSchema.readonly()).readonly(),
  /** The build's warnings, reported again by a build that finds nothing to do. */
  warnings: z.array(storedWarningSchema.readonly()).readonly(),
  /** Every file of the site but the manifest, path → SHA-256. */
  files: z.record(siteFileSchema, z.string()).readonly(),
  /** The previous build its page of changes compares with (`--compare`): a hash of that build's manifest; null for none. */
  compared: z.string().nullable().optional(),
});
export type SiteManifest = Readonly<z.infer<typeof siteManifestSchema>>;

/** Hash every file of a site, in path order. */
export function hashFiles(files: ReadonlyMap<string, string | Uint8Array>): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const name of [...files.keys()].sort())
    if (name !== MANIFEST_FILE) hashes[name] = sha256(files.get(name) as string | Uint8Array);
  return hashes;
}

/** A manifest's identity: the hash of its text as written. */
export function manifestHash(manifest: SiteManifest): string {
  return sha256(serializeManifest(manifest));
}

export function serializeManifest(manifest: SiteManifest): string {
  return `${JSON.stringify(manifest, null, 1)}\n`;
}

/**
 * The text serializeManifest gives, in pieces: the fields before `reports`,
 * then each report as `reports` yields it (so a caller can read each
 * report's tables in turn and drop them), then the rest. Byte for byte the
 * same (tested): `JSON.stringify(value, null, 1)` indents a value nested two
 * levels down by two more spaces on each of its lines, and JSON text has no
 * line breaks inside its strings.
 */
export async function* streamManifest(
  manifest: Omit<SiteManifest, 'reports'>,
  reports: AsyncIterable<SiteManifest['reports'][number]>,
): AsyncGenerator<string> {
  const {format, tool, sampling, pdf, inputs, warnings, files, compared, ...rest} = manifest;
  // Every key is placed by name: a manifest with a key this does not know would be written out of order.
  if (Object.keys(rest).length > 0) throw new Error(`streamManifest: unknown keys ${Object.keys(rest).join(', ')}`);
  const head = JSON.stringify({format, tool, sampling, pdf, inputs}, null, 1);
  const tail = JSON.stringify({warnings, files, ...(compared === undefined ? {} : {compared})}, null, 1);
  // The head without its closing `\n}`, the tail without its opening `{`.
  yield `${head.slice(0, -2)},\n "reports": [`;
  let first = true;
  for await (const report of reports) {
    yield `${first ? '' : ','}\n  ${JSON.stringify(report, null, 1).replaceAll('\n', '\n  ')}`;
    first = false;
  }
  yield `${first ? ']' : '\n ]'},${tail.slice(1)}\n`;
}

/**
 * Read the manifest of a site folder (or a manifest file): `undefined` when
 * there is none. A manifest is input like any other: one that is not JSON or
 * not what this tool writes (hand-edited, tampered, truncated) is `undefined`
 * too, with a positioned error in `diagnostics` naming the file. A build
 * treats both alike (no trusted site: build it); `compare` reports the error.
 */
export async function readManifest(location: string, diagnostics: Diagnostics): Promise<SiteManifest | undefined> {
  const file = location.endsWith('.json') ? location : path.join(location, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      diagnostics.error(shownPath(file), `Cannot read the manifest (${code ?? String(error)})`, undefined, 'io-error');
    return undefined;
  }
  return parseJsonAt(shownPath(file), text, siteManifestSchema, diagnostics);
}

/** A path as the user would type it: relative to the working folder when inside it. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** Whether every file the manifest lists is in `dir` with the same content, and nothing is missing. */
export async function siteMatches(dir: string, manifest: Pick<SiteManifest, 'files'>): Promise<boolean> {
  for (const [name, hash] of Object.entries(manifest.files)) {
    try {
      if (sha256(await readFile(path.join(dir, name))) !== hash) return false;
    } catch {
      return false;
    }
  }
  return true;
}
