// The publishing workflow, .github/workflows/reports.yml, checked without running it:
// its triggers, permissions, the check → build → publish → deploy chain that keeps a
// failed build from deploying, the shard matrix and its merge, the build cache, and
// every `node dist/cli.js` call against the commands and flags the CLI knows.
// Each check is also run on broken copies of the workflow, so each one can fail.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import YAML from 'yaml';
import {COMMAND_SPECS, commandSpec} from '../../src/cli/command-list.js';
import {GLOBAL_OPTIONS, type OptionSpec, type PositionalSpec} from '../../src/cli/options.js';
import {REPO_ROOT} from '../helpers/project.js';

const WORKFLOW_FILE = path.join(REPO_ROOT, '.github', 'workflows', 'reports.yml');

// The CLI's own tables (src/cli/commands/*-options.ts): the commands, and each one's options.
/** `--name` → whether it takes a value, for the options `command` takes (its own and the global ones). */
function flagsOf(command: string): Map<string, boolean> | undefined {
  const spec = commandSpec(command);
  if (!spec) return undefined;
  const options: Array<[string, OptionSpec]> = [...Object.entries(spec.options), ...Object.entries(GLOBAL_OPTIONS)];
  return new Map(options.map(([name, option]) => [`--${name}`, option.type !== 'flag']));
}
/** Every flag of any command that takes a value, to read the command lines with. */
const VALUE_FLAGS = COMMAND_SPECS.flatMap((spec) => [...(flagsOf(spec.name) ?? [])])
  .filter(([, takesValue]) => takesValue)
  .map(([flag]) => flag);

/** Actions the workflow may use, at these major versions only. */
/** The actions the workflow may use, each pinned to the commit of a release (its tag in a comment). */
const ACTIONS: Record<string, {readonly sha: string; readonly tag: string}> = {
  'actions/checkout': {sha: '11bd71901bbe5b1630ceea73d27597364c9af683', tag: 'v4.2.2'},
  'actions/setup-node': {sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', tag: 'v4.4.0'},
  'actions/cache': {sha: '5a3ec84eff668545956fd18022155c47e93e2684', tag: 'v4.2.3'},
  'actions/upload-artifact': {sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02', tag: 'v4.6.2'},
  'actions/download-artifact': {sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093', tag: 'v4.3.0'},
  'actions/configure-pages': {sha: '983d7736d9b0ae728b81ab479565c72886d7745b', tag: 'v5.0.0'},
  'actions/upload-pages-artifact': {sha: '56afc609e74202658d3ffba0e8f6dda462b719fa', tag: 'v3.0.1'},
  'actions/deploy-pages': {sha: 'd6db90164ac5ed86f2b6aed7e0febac5b3c0c03e', tag: 'v4.0.5'},
};

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: unknown;
  'continue-on-error'?: unknown;
}

interface Job {
  'runs-on'?: unknown;
  needs?: string | string[];
  if?: unknown;
  'continue-on-error'?: unknown;
  permissions?: unknown;
  environment?: unknown;
  env?: Record<string, unknown>;
  strategy?: {matrix?: Record<string, unknown>};
  steps?: Step[];
}

interface Workflow {
  on?: Record<string, unknown>;
  permissions?: unknown;
  concurrency?: unknown;
  env?: Record<string, unknown>;
  jobs: Record<string, Job>;
}

/** Parse a workflow; YAML errors (bad syntax, duplicate keys) throw. */
function parseWorkflow(text: string): Workflow {
  const document = YAML.parseDocument(text, {uniqueKeys: true});
  if (document.errors.length > 0) throw new Error(document.errors.map((error) => error.message).join('\n'));
  const workflow = document.toJS() as Workflow;
  if (!workflow || typeof workflow !== 'object' || !workflow.jobs || typeof workflow.jobs !== 'object') {
    throw new Error('not a workflow: no jobs');
  }
  return workflow;
}

const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : [job.needs].flat());
const stepsOf = (job: Job): Step[] => job.steps ?? [];
const usesAction = (step: Step, action: string): boolean => step.uses?.split('@')[0] === action;

/** The job that deploys to Pages (exactly one). */
function deployJob(workflow: Workflow): [string, Job] {
  const deploying = Object.entries(workflow.jobs).filter(([, job]) =>
    stepsOf(job).some((step) => usesAction(step, 'actions/deploy-pages')),
  );
  expect(deploying.map(([name]) => name)).toHaveLength(1);
  return deploying[0]!;
}

/** Every job `name` waits for, directly or not. */
function ancestors(workflow: Workflow, name: string, seen = new Set<string>()): Set<string> {
  for (const need of needsOf(workflow.jobs[name] ?? {})) {
    if (seen.has(need)) continue;
    seen.add(need);
    ancestors(workflow, need, seen);
  }
  return seen;
}

/** The job's matrix combinations (one empty combination without a matrix). */
function combinations(job: Job): Record<string, unknown>[] {
  const matrix = job.strategy?.matrix;
  if (!matrix) return [{}];
  let result: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    if (key === 'include' || key === 'exclude') throw new Error(`matrix ${key} is not supported by this test`);
    if (!Array.isArray(values)) throw new Error(`matrix.${key} must be a list`);
    result = result.flatMap((combination) => values.map((value) => ({...combination, [key]: value})));
  }
  return result;
}

/**
 * A string of the workflow as it runs for one matrix combination: `${{ matrix.x }}`
 * replaced by its value, any other expression by a placeholder without spaces.
 */
function expand(text: string, combination: Record<string, unknown>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    const key = /^matrix\.(\w+)$/.exec(expression)?.[1];
    return key !== undefined && key in combination ? String(combination[key]) : '__EXPR__';
  });
}

/** Split a shell command into words, honouring quotes (enough for run steps). */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

interface Invocation {
  job: string;
  stepIndex: number;
  command: string;
  positionals: string[];
  flags: Map<string, string | true>;
  /** The words after `node dist/cli.js`. */
  words: string[];
  /** The matrix combination it runs in. */
  combination: Record<string, unknown>;
}

/** Every `node dist/cli.js …` in the run steps, per matrix combination. */
function invocations(workflow: Workflow): Invocation[] {
  const result: Invocation[] = [];
  for (const [jobName, job] of Object.entries(workflow.jobs)) {
    for (const combination of combinations(job)) {
      stepsOf(job).forEach((step, stepIndex) => {
        if (typeof step.run !== 'string') return;
        const script = expand(step.run, combination).replace(/\\\n/g, ' ');
        for (const match of script.matchAll(/(?:^|[\s;&|(])node\s+(?:\.\/)?dist\/cli\.js\b([^\n;&|)]*)/g)) {
          const args = words(match[1]!);
          const [command = '', ...rest] = args;
          const positionals: string[] = [];
          const flags = new Map<string, string | true>();
          for (let i = 0; i < rest.length; i++) {
            const word = rest[i]!;
            if (!word.startsWith('-')) positionals.push(word);
            else if (word.includes('=')) flags.set(word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1));
            else if (VALUE_FLAGS.includes(word) && rest[i + 1] !== undefined && !rest[i + 1]!.startsWith('-'))
              flags.set(word, rest[++i]!);
            else flags.set(word, true);
          }
          result.push({job: jobName, stepIndex, command, positionals, flags, words: args, combination});
        }
      });
    }
  }
  return result;
}

/** The one invocation of `command` (the same in every matrix combination, if any). */
function invocationOf(workflow: Workflow, command: string): Invocation {
  const found = invocations(workflow).filter((invocation) => invocation.command === command);
  expect(found.length, `node dist/cli.js ${command}`).toBeGreaterThan(0);
  return found[0]!;
}

// A cron field: `*`, `*` or a range with a `/step`, a number, `a-b`, or a comma list of these, within [min, max].
function validCronField(field: string, min: number, max: number): boolean {
  return field.split(',').every((part) => {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return false;
    const [, , from, to, step] = match;
    const inRange = (value: string | undefined) =>
      value === undefined || (Number(value) >= min && Number(value) <= max);
    if (step !== undefined && Number(step) < 1) return false;
    if (from !== undefined && to !== undefined && Number(from) > Number(to)) return false;
    return inRange(from) && inRange(to);
  });
}

function validCron(cron: string): boolean {
  const fields = cron.trim().split(/\s+/);
  const ranges: [number, number][] = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 6],
  ];
  return fields.length === 5 && fields.every((field, i) => validCronField(field, ...ranges[i]!));
}

const FAILURE_TOLERANT = /\b(always|failure|cancelled)\s*\(/;

const CHECKS: Record<string, (workflow: Workflow) => void> = {
  'runs on push to main, on a daily cron schedule and by hand'(workflow) {
    const on = workflow.on;
    expect(on).toBeTypeOf('object');
    const push = on!.push as {branches?: unknown} | undefined;
    expect(push?.branches).toContain('main');
    const schedule = on!.schedule as {cron?: unknown}[] | undefined;
    expect(Array.isArray(schedule) && schedule.length > 0, 'a schedule').toBe(true);
    for (const entry of schedule!) {
      expect(typeof entry.cron === 'string' && validCron(entry.cron), `cron ${String(entry.cron)}`).toBe(true);
    }
    expect(Object.keys(on!)).toContain('workflow_dispatch');
  },

  'reads only at the top; only the deploy job writes'(workflow) {
    const top = workflow.permissions;
    expect(top, 'top-level permissions').toBeTypeOf('object');
    for (const [scope, access] of Object.entries(top as Record<string, unknown>)) {
      expect(['read', 'none'], `permissions.${scope}`).toContain(access);
    }
    const [deployName, deploy] = deployJob(workflow);
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const permissions = job.permissions;
      if (permissions === undefined) continue;
      expect(permissions, `jobs.${name}.permissions`).toBeTypeOf('object');
      const writes = Object.entries(permissions as Record<string, unknown>).filter(([, access]) => access === 'write');
      if (name !== deployName)
        expect(
          writes.map(([scope]) => scope),
          `jobs.${name} writes`,
        ).toEqual([]);
    }
    expect(deploy.permissions).toEqual({pages: 'write', 'id-token': 'write'});
    expect((deploy.environment as {name?: unknown} | undefined)?.name).toBe('github-pages');
  },

  'deploys one run at a time, never cancelling a deployment'(workflow) {
    const concurrency = workflow.concurrency as {group?: unknown; 'cancel-in-progress'?: unknown} | undefined;
    expect(concurrency?.group).toBeTypeOf('string');
    expect(concurrency?.['cancel-in-progress']).toBe(false);
  },

  'runs in UTC without SOURCE_DATE_EPOCH'(workflow) {
    expect(workflow.env?.TZ).toBe('UTC');
    const envs = [
      workflow.env,
      ...Object.values(workflow.jobs).flatMap((job) => [job.env, ...stepsOf(job).map((step) => step.env)]),
    ];
    for (const env of envs) expect(Object.keys(env ?? {})).not.toContain('SOURCE_DATE_EPOCH');
  },

  'runs every job on Ubuntu'(workflow) {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect(String(job['runs-on']), `jobs.${name}.runs-on`).toMatch(/^ubuntu-/);
    }
  },

  'deploys only after check, build and publish all succeeded'(workflow) {
    const {jobs} = workflow;
    expect(Object.keys(jobs)).toEqual(expect.arrayContaining(['check', 'build', 'publish', 'deploy']));
    expect(needsOf(jobs.check!)).toEqual([]);
    expect(needsOf(jobs.build!)).toContain('check');
    expect(needsOf(jobs.publish!)).toContain('build');
    expect(needsOf(jobs.deploy!)).toContain('publish');
    // Every other job is upstream of the deployment, so any failure stops it.
    const [deployName] = deployJob(workflow);
    const upstream = ancestors(workflow, deployName);
    for (const name of Object.keys(jobs))
      if (name !== deployName) expect(upstream, `${deployName} waits for ${name}`).toContain(name);
    // …and nothing on the way runs or succeeds regardless of a failure.
    for (const name of ['build', 'publish', 'deploy']) {
      const job = jobs[name]!;
      for (const [where, holder] of [
        [`jobs.${name}`, job] as const,
        ...stepsOf(job).map((step, i) => [`jobs.${name}.steps[${i}]`, step] as const),
      ]) {
        expect(holder['continue-on-error'], `${where}.continue-on-error`).toBeUndefined();
        expect(String(holder.if ?? ''), `${where}.if`).not.toMatch(FAILURE_TOLERANT);
      }
    }
  },

  'builds a matrix that covers shards 1..n exactly once'(workflow) {
    const build = workflow.jobs.build!;
    const shards = build.strategy?.matrix?.shard;
    expect(Array.isArray(shards), 'matrix.shard is a list').toBe(true);
    const builds = invocations(workflow).filter(
      (invocation) => invocation.job === 'build' && invocation.command === 'build',
    );
    expect(builds).toHaveLength((shards as unknown[]).length);
    const counts = new Set<number>();
    const indices: number[] = [];
    for (const invocation of builds) {
      const match = /^(\d+)\/(\d+)$/.exec(String(invocation.flags.get('--shard')));
      expect(match, `--shard ${String(invocation.flags.get('--shard'))}`).not.toBeNull();
      indices.push(Number(match![1]));
      counts.add(Number(match![2]));
    }
    expect(counts.size, 'one shard count').toBe(1);
    const [n] = [...counts];
    expect(indices.sort((a, b) => a - b)).toEqual(Array.from({length: n!}, (_, i) => i + 1));
  },

  'uploads every shard, downloads and merges it, and publishes the merge'(workflow) {
    const build = workflow.jobs.build!;
    const merge = invocationOf(workflow, 'merge');
    const mergeSteps = stepsOf(workflow.jobs[merge.job]!);
    const shardDirs: string[] = [];
    const builds = invocations(workflow).filter(
      (invocation) => invocation.job === 'build' && invocation.command === 'build',
    );
    expect(builds.length, 'node dist/cli.js build in the build job').toBeGreaterThan(0);
    for (const {combination, flags} of builds) {
      const dir = flags.get('--out');
      expect(dir, 'build --out').toBeTypeOf('string');
      shardDirs.push(dir as string);
      const upload = stepsOf(build).find((step) => usesAction(step, 'actions/upload-artifact'));
      expect(upload, 'an upload-artifact step in build').toBeDefined();
      expect(expand(String(upload!.with?.path), combination), 'uploads the shard folder').toBe(dir);
      const artifact = expand(String(upload!.with?.name), combination);
      const downloadIndex = mergeSteps.findIndex(
        (step) =>
          usesAction(step, 'actions/download-artifact') && step.with?.name === artifact && step.with?.path === dir,
      );
      expect(downloadIndex, `downloads ${artifact} into ${dir}`).toBeGreaterThanOrEqual(0);
      expect(downloadIndex, `downloads ${artifact} before the merge`).toBeLessThan(merge.stepIndex);
    }
    expect(new Set(shardDirs).size, 'a folder per shard').toBe(shardDirs.length);
    expect([...merge.positionals].sort(), 'merge lists every shard folder').toEqual([...shardDirs].sort());
    const site = merge.flags.get('--out');
    expect(site, 'merge --out').toBeTypeOf('string');
    const pages = mergeSteps.find((step) => usesAction(step, 'actions/upload-pages-artifact'));
    expect(pages?.with?.path, 'publishes the merged site').toBe(site);
    const compare = invocationOf(workflow, 'compare');
    expect(compare.positionals, 'compare <previous> <current>').toHaveLength(2);
    expect(compare.positionals[1], 'compares the merged site').toBe(site);
  },

  'caches .tradeoffs/cache per shard, keyed on the data and templates'(workflow) {
    const build = workflow.jobs.build!;
    const cache = stepsOf(build).find((step) => usesAction(step, 'actions/cache'));
    expect(cache, 'an actions/cache step in build').toBeDefined();
    expect(
      String(cache!.with?.path)
        .split('\n')
        .map((line) => line.trim()),
    ).toContain('.tradeoffs/cache');
    const key = String(cache!.with?.key);
    const hashed = /hashFiles\(([^)]*)\)/.exec(key)?.[1] ?? '';
    const patterns = [...hashed.matchAll(/'([^']*)'/g)].map((match) => match[1]);
    expect(patterns).toEqual(expect.arrayContaining(['data/**', 'templates/**']));
    expect(key).toMatch(/\$\{\{\s*matrix\.shard\s*\}\}/);
    const restoreKeys = String(cache!.with?.['restore-keys'] ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    expect(restoreKeys.length, 'restore-keys').toBeGreaterThan(0);
    for (const restoreKey of restoreKeys)
      expect(key.startsWith(restoreKey), `${restoreKey} is a prefix of the key`).toBe(true);
    // The cache is restored before the build runs.
    const buildIndex = invocationOf(workflow, 'build').stepIndex;
    expect(stepsOf(build).indexOf(cache!)).toBeLessThan(buildIndex);
  },

  'installs Chromium before making PDFs'(workflow) {
    const pdfCalls = invocations(workflow).filter(
      (invocation) => invocation.command === 'pdf' || invocation.flags.has('--pdf'),
    );
    expect(pdfCalls.length, 'the workflow makes PDFs').toBeGreaterThan(0);
    for (const call of pdfCalls) {
      const installIndex = stepsOf(workflow.jobs[call.job]!).findIndex(
        (step) => typeof step.run === 'string' && /\b(apt-get|apt|snap)\s+install\b[^\n]*\bchromium\b/.test(step.run),
      );
      expect(installIndex, `jobs.${call.job} installs Chromium`).toBeGreaterThanOrEqual(0);
      expect(installIndex, `jobs.${call.job} installs Chromium before the PDFs`).toBeLessThan(call.stepIndex);
    }
  },

  'calls the CLI only with commands and flags it knows'(workflow) {
    const calls = invocations(workflow);
    for (const call of calls) {
      const where = `jobs.${call.job}: node dist/cli.js ${call.words.join(' ')}`;
      const flags = flagsOf(call.command);
      expect(flags, `${where}: a command of the CLI`).toBeDefined();
      for (const [flag, value] of call.flags) {
        expect([...flags!.keys()], where).toContain(flag);
        if (flags!.get(flag)) expect(value, `${where}: ${flag} takes a value`).toBeTypeOf('string');
        else expect(value, `${where}: ${flag} takes no value`).toBe(true);
      }
      // As many arguments as the command takes.
      const positionals: readonly PositionalSpec[] = commandSpec(call.command)!.positionals;
      const required = positionals.filter((positional) => positional.required).length;
      expect(call.positionals.length, `${where}: arguments`).toBeGreaterThanOrEqual(required);
      if (!positionals.at(-1)?.repeated)
        expect(call.positionals.length, `${where}: arguments`).toBeLessThanOrEqual(positionals.length);
    }
    // …and the calls were all found (a pattern that missed them would check nothing).
    expect(new Set(calls.map((call) => call.command))).toEqual(new Set(['check', 'build', 'merge', 'compare']));
  },

  'bundles the CLI in every job that runs it'(workflow) {
    const packageJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    expect(packageJson.scripts?.bundle, 'npm run bundle').toBeTypeOf('string');
    for (const call of invocations(workflow)) {
      const steps = stepsOf(workflow.jobs[call.job]!);
      const ci = steps.findIndex((step) => /^\s*npm ci\b/m.test(step.run ?? ''));
      const bundle = steps.findIndex((step) => /^\s*npm run bundle\b/m.test(step.run ?? ''));
      const setupNode = steps.find((step) => usesAction(step, 'actions/setup-node'));
      expect(String(setupNode?.with?.['node-version']), `jobs.${call.job} on Node 20`).toBe('20');
      expect(ci, `jobs.${call.job}: npm ci`).toBeGreaterThanOrEqual(0);
      expect(bundle, `jobs.${call.job}: npm run bundle after npm ci`).toBeGreaterThan(ci);
      expect(bundle, `jobs.${call.job}: npm run bundle before node dist/cli.js`).toBeLessThan(call.stepIndex);
    }
  },

  'pins each action to the commit of a known release'(workflow) {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const step of stepsOf(job)) {
        if (step.uses === undefined) continue;
        const [action = '', version] = step.uses.split('@');
        expect(Object.keys(ACTIONS), `jobs.${name}: ${step.uses}`).toContain(action);
        expect(version, `jobs.${name}: ${step.uses}`).toBe(ACTIONS[action]?.sha);
      }
    }
  },
};

const WORKFLOW_TEXT = readFileSync(WORKFLOW_FILE, 'utf8');

describe('.github/workflows/reports.yml', () => {
  it('parses as YAML, without duplicate keys', () => {
    expect(() => parseWorkflow(WORKFLOW_TEXT)).not.toThrow();
  });

  const workflow = parseWorkflow(WORKFLOW_TEXT);
  for (const [name, check] of Object.entries(CHECKS)) {
    it(name, () => check(workflow));
  }
});

/** `text` with `search` replaced; throws when `search` is absent (the mutation would test nothing). */
function edit(text: string, search: string | RegExp, replacement: string): string {
  const next = text.replace(search, replacement);
  if (next === text) throw new Error(`mutation did not apply: ${String(search)}`);
  return next;
}

type Mutation = [check: keyof typeof CHECKS | 'parse', what: string, mutate: (text: string) => string];

/** Broken copies of the workflow: each must fail the check named. */
const MUTATIONS: Mutation[] = [
  ['parse', 'a duplicate key', (text) => edit(text, 'name: reports\n', 'name: reports\nname: again\n')],
  ['parse', 'bad indentation', (text) => edit(text, '  check:\n', '  check:\n runs-on: x\n')],

  [
    'runs on push to main, on a daily cron schedule and by hand',
    'push to another branch',
    (text) => edit(text, 'branches: [main]', 'branches: [dev]'),
  ],
  [
    'runs on push to main, on a daily cron schedule and by hand',
    'a 4-field cron',
    (text) => edit(text, "cron: '17 5 * * *'", "cron: '17 5 * *'"),
  ],
  [
    'runs on push to main, on a daily cron schedule and by hand',
    'minute 61',
    (text) => edit(text, "cron: '17 5 * * *'", "cron: '61 5 * * *'"),
  ],
  [
    'runs on push to main, on a daily cron schedule and by hand',
    'no workflow_dispatch',
    (text) => edit(text, /\n {2}workflow_dispatch:\n/, '\n'),
  ],

  [
    'reads only at the top; only the deploy job writes',
    'write at the top',
    (text) => edit(text, /^permissions:\n {2}contents: read/m, 'permissions:\n  contents: write'),
  ],
  [
    'reads only at the top; only the deploy job writes',
    'no top-level permissions',
    (text) => edit(text, /^permissions:\n {2}contents: read\n/m, ''),
  ],
  [
    'reads only at the top; only the deploy job writes',
    'publish writes Pages',
    (text) => edit(text, 'pages: read', 'pages: write'),
  ],
  [
    'reads only at the top; only the deploy job writes',
    'deploy without id-token',
    (text) => edit(text, /\n\s+id-token: write/, ''),
  ],

  [
    'deploys one run at a time, never cancelling a deployment',
    'cancel in progress',
    (text) => edit(text, 'cancel-in-progress: false', 'cancel-in-progress: true'),
  ],

  ['runs in UTC without SOURCE_DATE_EPOCH', 'another zone', (text) => edit(text, '  TZ: UTC', '  TZ: Europe/Paris')],
  [
    'runs in UTC without SOURCE_DATE_EPOCH',
    'SOURCE_DATE_EPOCH set',
    (text) => edit(text, '  TZ: UTC', '  TZ: UTC\n  SOURCE_DATE_EPOCH: 0'),
  ],

  [
    'runs every job on Ubuntu',
    'a Windows job',
    (text) => edit(text, /(deploy:\n(?:.*\n)*?\s+runs-on: )ubuntu-latest/, '$1windows-latest'),
  ],

  [
    'deploys only after check, build and publish all succeeded',
    'deploy needs only check',
    (text) => edit(text, 'needs: publish', 'needs: check'),
  ],
  [
    'deploys only after check, build and publish all succeeded',
    'publish needs nothing',
    (text) => edit(text, '    needs: build\n', ''),
  ],
  [
    'deploys only after check, build and publish all succeeded',
    'deploy if: always()',
    (text) => edit(text, '    needs: publish\n', '    needs: publish\n    if: always()\n'),
  ],
  [
    'deploys only after check, build and publish all succeeded',
    'a step that may fail',
    (text) =>
      edit(
        text,
        '      - uses: actions/upload-pages-artifact@56afc609e74202658d3ffba0e8f6dda462b719fa # v3.0.1\n',
        '      - uses: actions/upload-pages-artifact@56afc609e74202658d3ffba0e8f6dda462b719fa # v3.0.1\n        continue-on-error: true\n',
      ),
  ],
  [
    'deploys only after check, build and publish all succeeded',
    'a step run unless cancelled',
    (text) => edit(text, "if: steps.previous.outputs.found == 'true'", 'if: ${{ !cancelled() }}'),
  ],

  [
    'builds a matrix that covers shards 1..n exactly once',
    'a shard missing',
    (text) => edit(text, 'shard: [1, 2]', 'shard: [1]'),
  ],
  [
    'builds a matrix that covers shards 1..n exactly once',
    'a shard twice',
    (text) => edit(text, 'shard: [1, 2]', 'shard: [1, 1]'),
  ],
  [
    'builds a matrix that covers shards 1..n exactly once',
    'n = 3 with two shards',
    (text) => edit(text, '--shard ${{ matrix.shard }}/2', '--shard ${{ matrix.shard }}/3'),
  ],
  [
    'builds a matrix that covers shards 1..n exactly once',
    'no --shard',
    (text) => edit(text, '--shard ${{ matrix.shard }}/2 ', ''),
  ],

  [
    'uploads every shard, downloads and merges it, and publishes the merge',
    'merge misses a shard',
    (text) => edit(text, 'merge shards/1 shards/2', 'merge shards/1'),
  ],
  [
    'uploads every shard, downloads and merges it, and publishes the merge',
    'a shard downloaded elsewhere',
    (text) => edit(text, 'path: shards/2\n', 'path: shards/two\n'),
  ],
  [
    'uploads every shard, downloads and merges it, and publishes the merge',
    'a shard not downloaded',
    (text) => edit(text, 'name: shard-2\n', 'name: shard-3\n'),
  ],
  [
    'uploads every shard, downloads and merges it, and publishes the merge',
    'Pages gets another folder',
    (text) => edit(text, /(upload-pages-artifact@\S+ # v3\.0\.1\n\s+with:\n\s+path: )reports/, '$1shards'),
  ],
  [
    'uploads every shard, downloads and merges it, and publishes the merge',
    'compare another folder',
    (text) => edit(text, 'previous/manifest.json reports', 'previous/manifest.json shards'),
  ],

  [
    'caches .tradeoffs/cache per shard, keyed on the data and templates',
    'key without data',
    (text) => edit(text, "hashFiles('data/**', ", 'hashFiles('),
  ],
  [
    'caches .tradeoffs/cache per shard, keyed on the data and templates',
    'key without templates',
    (text) => edit(text, "'templates/**', ", ''),
  ],
  [
    'caches .tradeoffs/cache per shard, keyed on the data and templates',
    'another folder',
    (text) => edit(text, 'path: .tradeoffs/cache', 'path: .cache'),
  ],
  [
    'caches .tradeoffs/cache per shard, keyed on the data and templates',
    'key without the shard',
    (text) =>
      edit(
        text,
        'key: tradeoffs-${{ runner.os }}-shard-${{ matrix.shard }}-of-2-',
        'key: tradeoffs-${{ runner.os }}-shard-of-2-',
      ),
  ],
  [
    'caches .tradeoffs/cache per shard, keyed on the data and templates',
    'no restore-keys',
    (text) => edit(text, /\n\s+restore-keys: \|\n.*\n.*/, ''),
  ],

  [
    'installs Chromium before making PDFs',
    'no Chromium',
    (text) => edit(text, 'sudo apt-get install -y chromium || sudo snap install chromium', 'true'),
  ],
  [
    'installs Chromium before making PDFs',
    'Chromium after the PDFs',
    (text) => {
      const install = /\n {6}- name: Install Chromium and fonts\n(?: {8}.*\n)+/.exec(text)![0];
      const moved = edit(text, install, '\n');
      return edit(moved, '      - id: pages\n', `${install.slice(1)}      - id: pages\n`);
    },
  ],

  [
    'calls the CLI only with commands and flags it knows',
    'an unknown command',
    (text) => edit(text, 'node dist/cli.js check', 'node dist/cli.js lint'),
  ],
  [
    'calls the CLI only with commands and flags it knows',
    'the compare call gone',
    (text) => edit(text, 'run: node dist/cli.js compare', 'run: echo compare'),
  ],
  [
    'calls the CLI only with commands and flags it knows',
    'an unknown flag',
    (text) => edit(text, '--markdown "$GITHUB_STEP_SUMMARY"', '--summary "$GITHUB_STEP_SUMMARY"'),
  ],
  [
    'calls the CLI only with commands and flags it knows',
    'an option of another command',
    (text) => edit(text, 'node dist/cli.js check', 'node dist/cli.js check --seed 3'),
  ],
  [
    'calls the CLI only with commands and flags it knows',
    'an argument the command does not take',
    (text) => edit(text, 'node dist/cli.js check', 'node dist/cli.js check data'),
  ],
  [
    'calls the CLI only with commands and flags it knows',
    'a flag without its value',
    (text) => edit(text, '--out reports --pdf', '--pdf --out'),
  ],

  [
    'bundles the CLI in every job that runs it',
    'no bundle in check',
    (text) => edit(text, '      - run: npm run bundle\n', ''),
  ],
  [
    'bundles the CLI in every job that runs it',
    'another Node',
    (text) => edit(text, 'node-version: 20', 'node-version: 18'),
  ],

  [
    'pins each action to the commit of a known release',
    'a branch',
    (text) => edit(text, 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', 'actions/checkout@main'),
  ],
  [
    'pins each action to the commit of a known release',
    'a moving tag',
    (text) => edit(text, 'actions/cache@5a3ec84eff668545956fd18022155c47e93e2684', 'actions/cache@v4'),
  ],
  [
    'pins each action to the commit of a known release',
    'an unknown action',
    (text) => edit(text, 'actions/configure-pages@', 'someone/configure-pages@'),
  ],
];

describe('the workflow checks catch a broken workflow', () => {
  it('has a mutation for every check', () => {
    const covered = new Set(MUTATIONS.map(([check]) => check));
    expect([...covered].sort()).toEqual(['parse', ...Object.keys(CHECKS)].sort());
  });

  for (const [check, what, mutate] of MUTATIONS) {
    it(`${check}: fails with ${what}`, () => {
      const text = mutate(WORKFLOW_TEXT);
      if (check === 'parse') {
        expect(() => parseWorkflow(text)).toThrow();
        return;
      }
      // The broken copy still parses: it is the named check that fails.
      const broken = parseWorkflow(text);
      expect(() => CHECKS[check]!(broken)).toThrow();
    });
  }
});
