import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {parse} from 'yaml';
import {describe, expect, it} from 'vitest';
import {REPO_ROOT} from '../helpers/project.js';

/**
 * Supply chain: every action a workflow (or a local composite action) uses
 * is pinned to a full 40-hex commit SHA with its release tag in a comment
 * (`uses: actions/checkout@<sha> # v4.2.2`), as OpenSSF Scorecard asks: a tag
 * or branch can be moved to other code, a commit cannot. Local actions
 * (`./path`) are the repository's own code and need no pin. Dependabot
 * (.github/dependabot.yml) keeps the pins current.
 */
const GITHUB = path.join(REPO_ROOT, '.github');

/** Every workflow and action file under .github/. */
function actionFiles(): string[] {
  return (readdirSync(GITHUB, {recursive: true}) as string[])
    .filter((file) => /(^|\/)workflows\/[^/]+\.ya?ml$|(^|\/)action\.ya?ml$/.test(file.split(path.sep).join('/')))
    .map((file) => path.join(GITHUB, file))
    .sort();
}

/** The `uses:` lines of a workflow's text: the reference and the comment after it, by line. */
function usesLines(text: string): Array<{line: number; reference: string; comment: string | undefined}> {
  return text.split('\n').flatMap((line, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*(['"]?)([^\s'"#]+)\1\s*(?:#\s*(.*))?$/.exec(line);
    return match ? [{line: index + 1, reference: match[2]!, comment: match[3]?.trim()}] : [];
  });
}

/** Why a `uses:` reference is not pinned, or undefined when it is. */
function unpinned(reference: string, comment: string | undefined): string | undefined {
  if (reference.startsWith('./')) return undefined;
  if (reference.startsWith('docker://'))
    return /@sha256:[0-9a-f]{64}$/.test(reference) ? undefined : 'expected a docker image pinned by @sha256 digest';
  const [, version] = reference.split('@');
  if (version === undefined || !/^[0-9a-f]{40}$/.test(version))
    return `expected a full 40-hex commit SHA after @, got \`${version ?? 'nothing'}\``;
  if (comment === undefined || !/^v?\d+(\.\d+)*\b/.test(comment))
    return 'expected the release tag in a comment after the SHA (`# v4.2.2`)';
  return undefined;
}

describe('pinned actions', () => {
  const files = actionFiles();

  it('finds the workflows', () => {
    expect(files.map((file) => path.relative(REPO_ROOT, file))).toContain(
      path.join('.github', 'workflows', 'reports.yml'),
    );
  });

  for (const file of files) {
    it(`${path.relative(REPO_ROOT, file)}: every \`uses:\` is pinned to a commit SHA with its tag`, () => {
      const text = readFileSync(file, 'utf8');
      const found = usesLines(text);
      // The line scan sees every `uses:` the YAML holds (a pattern that missed some would check nothing).
      const parsedCount = (JSON.stringify(parse(text)).match(/"uses":/g) ?? []).length;
      expect(found.length).toBe(parsedCount);
      const problems = found.flatMap(({line, reference, comment}) => {
        const why = unpinned(reference, comment);
        return why ? [`line ${line}: ${reference}: ${why}`] : [];
      });
      expect(problems).toEqual([]);
    });
  }

  it('refuses tags, branches, short SHAs and a missing tag comment', () => {
    const sha = '11bd71901bbe5b1630ceea73d27597364c9af683';
    expect(unpinned(`actions/checkout@${sha}`, 'v4.2.2')).toBeUndefined();
    expect(unpinned('./.github/actions/setup', undefined)).toBeUndefined();
    expect(unpinned('actions/checkout@v4', undefined)).toMatch(/40-hex/);
    expect(unpinned('actions/checkout@main', 'v4')).toMatch(/40-hex/);
    expect(unpinned('actions/checkout@11bd719', 'v4')).toMatch(/40-hex/);
    expect(unpinned(`actions/checkout@${sha.toUpperCase()}`, 'v4')).toMatch(/40-hex/);
    expect(unpinned('actions/checkout', undefined)).toMatch(/nothing/);
    expect(unpinned(`actions/checkout@${sha}`, undefined)).toMatch(/tag in a comment/);
    expect(unpinned('docker://alpine:3', undefined)).toMatch(/sha256/);
    expect(usesLines(`steps:\n  - uses: "actions/cache@${sha}" # v4.2.3\n`)).toEqual([
      {line: 2, reference: `actions/cache@${sha}`, comment: 'v4.2.3'},
    ]);
  });
});

describe('dependabot', () => {
  it('updates the github-actions and npm ecosystems', () => {
    const config = parse(readFileSync(path.join(GITHUB, 'dependabot.yml'), 'utf8')) as {
      version: number;
      updates: Array<{'package-ecosystem': string; directory: string}>;
    };
    expect(config.version).toBe(2);
    expect(config.updates.map((update) => update['package-ecosystem']).sort()).toEqual(['github-actions', 'npm']);
  });
});
