import type {Catalog} from '../data/catalog.js';
import {z} from 'zod';
import {usageHashesSchema, type RecordKind, type UsageKey} from '../data/catalog-usage.js';
import {ABSENT, usageHash} from '../data/record-hashes.js';
import {storedReportSchema} from '../output/site-files.js';

/** A report as the cache keeps it (laid out), with what it was made from. */
export const cachedReportSchema = z.object({
  templateHash: z.string(),
  fingerprint: z.string(),
  /** `samples/seed` of the Monte Carlo. */
  sampling: z.string(),
  /** Usage key → hash of the record (or collection) when the report was rendered. */
  uses: usageHashesSchema,
  report: storedReportSchema,
});
export type CachedReport = Readonly<z.infer<typeof cachedReportSchema>>;

/** What the next build would make a report from. */
export interface ReportInputs {
  readonly template: string;
  readonly templateHash: string;
  readonly fingerprint: string;
  readonly sampling: string;
}

const SINGULAR: Record<RecordKind, string> = {
  hardware: 'hardware',
  models: 'model',
  scenarios: 'scenario',
  references: 'reference run',
  techniques: 'technique',
  sources: 'source',
};

/**
 * Why a cached report cannot be reused, in words (`data/hardware.yaml h100
 * changed`), or `undefined` when it can: same template, same tool, same
 * sampling, and every record it read hashes as it did.
 */
export function whyStale(
  cached: Pick<CachedReport, 'fingerprint' | 'templateHash' | 'sampling' | 'uses'> | undefined,
  inputs: ReportInputs,
  hashes: ReadonlyMap<UsageKey, string>,
  catalog: Catalog,
): string | undefined {
  if (!cached) return 'not in the cache';
  if (cached.fingerprint !== inputs.fingerprint) return 'the tool changed';
  if (cached.templateHash !== inputs.templateHash) return `${inputs.template} changed`;
  if (cached.sampling !== inputs.sampling) return 'the sampling changed';
  const changed = (Object.keys(cached.uses) as UsageKey[])
    .filter((key) => cached.uses[key] !== usageHash(hashes, key))
    .sort();
  if (changed.length === 0) return undefined;
  const described = changed.slice(0, 3).map((key) => describeChange(key, cached.uses[key] as string, hashes, catalog));
  return `${described.join(', ')}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''}`;
}

function describeChange(
  key: UsageKey,
  before: string,
  hashes: ReadonlyMap<UsageKey, string>,
  catalog: Catalog,
): string {
  const colon = key.indexOf(':');
  const id = key.slice(colon + 1);
  if (key.startsWith('file:')) return `\`${id}\` ${hashes.has(key) ? 'changed' : 'was removed'}`;
  const kind = key.slice(0, colon) as RecordKind;
  if (id === '*') return `the list of ${kind === 'hardware' ? 'hardware' : kind} changed`;
  const record = catalog[kind].get(id);
  if (!hashes.has(key)) return `${SINGULAR[kind]} \`${id}\` was removed`;
  if (before === ABSENT) return `${SINGULAR[kind]} \`${id}\` was added`;
  const file = record ? catalog.origins.get(record)?.source.path : undefined;
  return `${file ?? SINGULAR[kind]} \`${id}\` changed`;
}
