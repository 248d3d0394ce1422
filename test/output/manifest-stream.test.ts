// The manifest written in pieces (a report's tables at a time) is the text serializeManifest gives, byte for byte.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {serializeManifest, streamManifest, type SiteManifest} from '../../src/output/manifest.js';
import {MANIFEST} from '../helpers/manifest.js';

async function streamed(manifest: SiteManifest): Promise<string> {
  const {reports, ...rest} = manifest;
  async function* each() {
    yield* reports;
  }
  let text = '';
  for await (const chunk of streamManifest(rest, each())) text += chunk;
  return text;
}

describe('the manifest streamed', () => {
  it('is the serialized manifest, with its reports, with none, and without `compared`', async () => {
    expect(await streamed(MANIFEST)).toBe(serializeManifest(MANIFEST));
    const none = {...MANIFEST, reports: []};
    expect(await streamed(none)).toBe(serializeManifest(none));
    const {compared: _compared, ...older} = MANIFEST;
    expect(await streamed(older)).toBe(serializeManifest(older));
  });

  it('is the serialized manifest for any text in its reports and fields (quotes, line breaks, U+2028, emoji)', async () => {
    const [report] = MANIFEST.reports;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.string({unit: 'grapheme'}), fc.string()), {maxLength: 4}),
        fc.array(fc.string(), {maxLength: 3}),
        async (titles, warnings) => {
          const manifest: SiteManifest = {
            ...MANIFEST,
            reports: titles.map(([title, slug]) => ({...report!, title, slug})),
            warnings: warnings.map((reason) => ({file: 'data/a.yaml', reason, ruleId: 'schema' as const})),
          };
          expect(await streamed(manifest)).toBe(serializeManifest(manifest));
        },
      ),
      {numRuns: 200},
    );
  });

  it('refuses a manifest with a key it would not place', async () => {
    const {reports: _reports, ...rest} = MANIFEST;
    const extra = {...rest, extra: 1} as Omit<SiteManifest, 'reports'>;
    await expect(streamManifest(extra, (async function* () {})()).next()).rejects.toThrow(/unknown keys extra/);
  });
});
