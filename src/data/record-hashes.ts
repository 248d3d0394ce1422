import {createHash} from 'node:crypto';
import type {Catalog} from './catalog.js';
import {RECORD_KINDS, type UsageKey} from './catalog-usage.js';

/** What a usage key resolves to when the record does not exist (a lookup that found nothing is still a dependency). */
export const ABSENT = 'absent';

/**
 * A content hash for every record of the catalog (`hardware:h100`) and every
 * collection (`hardware:*`): the record's validated fields, its uncertain
 * numbers and the file it came from, so a report's recorded usage can be
 * compared with the data of the next build.
 */
export function hashRecords(catalog: Catalog): Map<UsageKey, string> {
  const hashes = new Map<UsageKey, string>();
  for (const kind of RECORD_KINDS) {
    const whole = createHash('sha256');
    for (const id of [...catalog[kind].keys()].sort()) {
      const record = catalog[kind].get(id) as object;
      const content = stableJson({
        record,
        uncertainty: catalog.uncertainty.get(record) ?? [],
        file: catalog.origins.get(record)?.source.path,
      });
      const hash = createHash('sha256').update(content).digest('hex').slice(0, 16);
      hashes.set(`${kind}:${id}`, hash);
      whole.update(`${id}\0${hash}\n`);
    }
    hashes.set(`${kind}:*`, whole.digest('hex').slice(0, 16));
  }
  return hashes;
}

/** The hash of `key` in `hashes`, or ABSENT for a record that does not exist. */
export function usageHash(hashes: ReadonlyMap<UsageKey, string>, key: UsageKey): string {
  return hashes.get(key) ?? ABSENT;
}

/** JSON with object keys sorted, so two equal records hash alike whatever order their fields were written in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
    return sorted;
  });
}
