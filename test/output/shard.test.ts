// A shard (shard.json and its report files) is input to `tradeoffs merge`: read against zod schemas.
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Diagnostics, DiagnosticsError} from '../../src/diagnostics/diagnostics.js';
import {formatDiagnostics} from '../../src/diagnostics/report.js';
import {parseShard, readShards, SHARD_FILE} from '../../src/output/shard.js';
import {toolIdentity} from '../../src/tool/identity.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tradeoffs-shard-'));
  await mkdir(path.join(dir, 'reports'));
});
afterEach(() => rm(dir, {recursive: true, force: true}));

const shardFile = (reports: unknown) => ({
  format: 1,
  shard: {index: 1, count: 1},
  tool: toolIdentity(),
  meta: {
    inputs: {},
    sampling: {samples: 1000, seed: 1},
    pdfDate: '2025-01-01T00:00:00.000Z',
    warnings: [],
    site: {date: '2025-01-01', builtOn: null, dataAsOf: null, commit: null, recordFiles: {}},
    sources: {},
    scenarios: {},
  },
  templates: ['templates/a.mdx'],
  reports,
});

/** The messages of merging the shard in `dir`, as printed; the merge must fail. */
async function mergeProblems(): Promise<string> {
  const diagnostics = new Diagnostics();
  const error = await readShards([dir], diagnostics).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(DiagnosticsError);
  return formatDiagnostics(diagnostics);
}

describe('reading shards', () => {
  it('parses k/n up to the limit on n', () => {
    expect(parseShard('2/4')).toEqual({index: 2, count: 4});
    expect(parseShard('1000/1000')).toEqual({index: 1000, count: 1000});
    for (const text of ['0/2', '3/2', '1/1001', 'a/b', '1/0', '1.5/2']) expect(parseShard(text), text).toBeUndefined();
  });

  it('refuses a shard.json whose report files lie outside the shard', async () => {
    await writeFile(path.join(dir, SHARD_FILE), JSON.stringify(shardFile(['../../etc/passwd']), null, 1));
    expect(await mergeProblems()).toMatch(
      /shard\.json\n\d+:\d+-\d+:\d+ +error +`reports\[0\]`: expected `reports\/<slug>\.json`/,
    );
  });

  it('refuses a shard.json that is not one, at its line and column', async () => {
    await writeFile(path.join(dir, SHARD_FILE), '{\n "format": 1,\n "shard": null\n}');
    const printed = await mergeProblems();
    expect(printed).toMatch(/^\S*shard\.json\n/);
    expect(printed).toMatch(/^3:11-3:15 +error +`shard`: expected object, got null/m);
    expect(printed).not.toMatch(/Cannot read properties/);
  });

  it('names a report file that is missing or malformed', async () => {
    await writeFile(path.join(dir, SHARD_FILE), JSON.stringify(shardFile(['reports/a.json', 'reports/b.json'])));
    await writeFile(path.join(dir, 'reports', 'a.json'), '{"report": {"slug": "a"}, "templateHash": "t", "uses": {}}');
    const printed = await mergeProblems();
    expect(printed).toMatch(/reports\/a\.json\n(1:12-1:25 +error +Missing field `\w+`.*\n)+/);
    expect(printed).toMatch(/^1:12-1:25 +error +Missing field `path`, expected string/m);
    expect(printed).toMatch(/reports\/b\.json\n +error +Cannot read a report shard\.json lists \(ENOENT\)/);
  });
});
