import {execFile} from 'node:child_process';
import {accessSync, constants} from 'node:fs';
import {cp, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {promisify} from 'node:util';
import {chromium, type Browser, type BrowserContext, type Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, copyProject, REPO_ROOT, runCli} from '../helpers/project.js';
import {serveStatic, type StaticServer} from '../helpers/static-server.js';
import {CHROMIUM_FLAGS, DEFAULT_CHROMIUM} from '../../src/output/pdf.js';

/**
 * The explorer (explore.html, src/client/explorer/) on the built default
 * site, in Debian's Chromium: for every scenario of data/ it computes what
 * `tradeoffs estimate <id> --json` prints; a reader goes from a report to
 * it, changes an assumption, shares the link and downloads a scenario the
 * CLI checks and estimates to the same JSON; invalid combinations show the
 * CLI's messages at their fields; it runs in a worker within the site's
 * Content-Security-Policy, and on the page from file://; it is axe-clean in
 * light and dark, keyboard operable, and says what it would do without
 * JavaScript. Waits are on the page's own state (`data-pending`), never a clock.
 */

const AXE = path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');
// Browser-side code is typed loosely: the project's type-check need not include the DOM library.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dom = any;

const run = promisify(execFile);

/** `tradeoffs <args>` in `cwd`, without blocking the test's event loop (several run at once). */
async function cli(args: readonly string[], cwd: string): Promise<{code: number; stdout: string; stderr: string}> {
  try {
    const {stdout, stderr} = await run(process.execPath, [CLI, ...args], {
      cwd,
      env: {...process.env, TZ: 'UTC'},
      maxBuffer: 64 * 1024 * 1024,
    });
    return {code: 0, stdout, stderr};
  } catch (error) {
    const failed = error as {code?: number; stdout?: string; stderr?: string};
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    };
  }
}

function requireFile(file: string, mode: number, install: string): void {
  try {
    accessSync(file, mode);
  } catch {
    throw new Error(`${file} is missing: these tests need it and are not skipped without it (${install})`);
  }
}

/** A context whose waits end on the page's events; the test's timeout is the one safety net. */
async function untimed(context: Promise<BrowserContext>): Promise<BrowserContext> {
  const opened = await context;
  opened.setDefaultTimeout(0);
  opened.setDefaultNavigationTimeout(0);
  return opened;
}

/** Record Content-Security-Policy violations from the first byte (an init script, which the policy does not govern). */
function recordPolicyViolations(): void {
  const g = globalThis as Dom;
  g.__policyViolations = [];
  g.document.addEventListener(
    'securitypolicyviolation',
    (event: Dom) => g.__policyViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'}`),
    true,
  );
}

/** Wait until the explorer has drawn the result of the latest change. */
async function settled(page: Page): Promise<void> {
  await page.waitForSelector('#explorer-results[data-pending="false"]', {state: 'attached'});
}

async function pageJson(page: Page): Promise<string> {
  return (await page.textContent('#explorer-json')) ?? '';
}

/** Console errors, page errors and failed requests of a page, one line each. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  return problems;
}

describe('the explorer in Chromium', () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  let site: string;
  let server: StaticServer;
  let browser: Browser;
  let scenarioIds: string[];
  const redraws: number[] = [];

  beforeAll(async () => {
    requireFile(DEFAULT_CHROMIUM, constants.X_OK, 'Debian: apt-get install -y chromium');
    requireFile(AXE, constants.R_OK, 'npm install --save-dev --save-exact axe-core@4.14.1');
    project = await copyProject();
    const launching = chromium.launch({executablePath: DEFAULT_CHROMIUM, args: CHROMIUM_FLAGS, timeout: 0});
    launching.catch(() => {});
    const built = await cli(['build'], project.root);
    browser = await launching;
    if (built.code !== 0) throw new Error(`build exited ${built.code}:\n${built.stderr}${built.stdout}`);
    site = path.join(project.root, 'reports');
    server = await serveStatic(site);
    scenarioIds = (await readdir(path.join(project.root, 'data', 'scenarios')))
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => name.replace(/\.yaml$/, ''))
      .sort();
  });

  afterAll(async () => {
    if (redraws.length > 0) {
      const sorted = [...redraws].sort((a, b) => a - b);
      console.log(
        `explorer: input change to redrawn estimate, median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} ms, ` +
          `slowest ${sorted.at(-1)?.toFixed(0)} ms over ${sorted.length} changes (see npm run bench)`,
      );
    }
    await browser?.close();
    await server?.close();
    await project?.cleanup();
  });

  /** A temporary copy of the built project, with `files` added under its root. */
  async function projectWith(files: Record<string, string>): Promise<{root: string; cleanup: () => Promise<void>}> {
    const root = await mkdtemp(path.join(tmpdir(), 'tradeoffs-explorer-'));
    await cp(path.join(project.root, 'data'), path.join(root, 'data'), {recursive: true});
    await cp(path.join(project.root, 'templates'), path.join(root, 'templates'), {recursive: true});
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(root, name), text);
    return {root, cleanup: () => rm(root, {recursive: true, force: true})};
  }

  /** Change a control as a reader does and wait for the redrawn estimate; the redraw time is kept for the log. */
  async function change(page: Page, action: () => Promise<unknown>): Promise<void> {
    await action();
    await settled(page);
    redraws.push(Number(await page.getAttribute('#explorer-results', 'data-redraw-ms')));
  }

  it('computes for every scenario of data/ exactly what `tradeoffs estimate <id> --json` prints', async () => {
    expect(scenarioIds.length).toBeGreaterThan(10);
    const expected = new Map<string, Promise<string>>();
    // Two CLI runs at a time, while the browser works.
    const queue = [...scenarioIds];
    const runNext = async (): Promise<void> => {
      const id = queue.shift();
      if (id === undefined) return;
      const result = cli(['estimate', id, '--json'], project.root);
      expected.set(
        id,
        result.then((done) => {
          if (done.code !== 0) throw new Error(`estimate ${id} exited ${done.code}: ${done.stderr}`);
          return done.stdout.trimEnd();
        }),
      );
      await result;
      await runNext();
    };
    const cliRuns = Promise.all([runNext(), runNext()]);
    const context = await untimed(browser.newContext());
    const page = await context.newPage();
    const problems = watch(page);
    const offered: string[] = [];
    const mismatched: string[] = [];
    await page.goto(`${server.origin}/explore.html`);
    offered.push(
      ...(await page.$$eval('#explorer-scenario option', (options: Dom[]) => options.map((option) => option.value))),
    );
    expect([...offered].sort()).toEqual(scenarioIds);
    const shown = new Map<string, string>();
    // Each scenario chosen on the one page, as a reader does (one worker for all), then one opened by its address.
    await settled(page);
    for (const id of scenarioIds) {
      if ((await page.inputValue('#explorer-scenario')) !== id) {
        await page.selectOption('#explorer-scenario', id);
        await settled(page);
      }
      expect(page.url(), id).toMatch(new RegExp(`\\?scenario=${id.replace(/\./g, '\\.')}$`));
      shown.set(id, await pageJson(page));
      expect(await page.textContent('body'), id).not.toMatch(/\bNaN\b/);
    }
    await page.goto(`${server.origin}/explore.html?scenario=${scenarioIds[0]}`);
    await settled(page);
    expect(await pageJson(page)).toBe(shown.get(scenarioIds[0] as string));
    await cliRuns;
    for (const id of scenarioIds) {
      const want = await (expected.get(id) as Promise<string>);
      if (shown.get(id) !== want) mismatched.push(id);
    }
    expect(mismatched, 'scenarios whose page JSON differs from the CLI').toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('as a new reader: from a report to the explorer, one assumption changed, a number and range the CLI confirms, a shared link, a downloaded scenario `tradeoffs check` accepts', async () => {
    const context = await untimed(browser.newContext({acceptDownloads: true}));
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${server.origin}/deepseek-v3-reconstructed/index.html`);
    await Promise.all([
      page.waitForURL(/explore\.html\?scenario=deepseek-v3-pretraining$/),
      page.click('text=Adjust these assumptions'),
    ]);
    await settled(page);
    const before = await page.textContent('[data-output="wallClockDays"] .key-figure-value');
    // One assumption: twice the GPUs.
    await change(page, () => page.fill('#f-cluster-gpus', '4096'));
    expect(page.url()).toContain('set.cluster.gpus=4096');
    const after = await page.textContent('[data-output="wallClockDays"] .key-figure-value');
    expect(after).not.toBe(before);
    const cost = await page.textContent('[data-output="costUsd"] .key-figure-value');
    expect(cost, 'the cost carries its 5th–95th percentile range').toMatch(/^\$[\d.]+M \(\$[\d.]+–[\d.]+M\)$/);
    const json = await pageJson(page);
    expect(JSON.parse(json)).toMatchObject({scenarioId: 'deepseek-v3-pretraining-what-if', gpus: 4096});

    // The link reproduces the view.
    const shared = await context.newPage();
    await shared.goto(page.url());
    await settled(shared);
    expect(await pageJson(shared)).toBe(json);
    expect(await shared.inputValue('#f-cluster-gpus')).toBe('4096');

    // The download is a scenario the CLI checks and estimates to the same JSON.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#explorer-download')]);
    expect(download.suggestedFilename()).toBe('deepseek-v3-pretraining-what-if.yaml');
    const yaml = await readFile((await download.path()) as string, 'utf8');
    expect(yaml).toBe(await page.textContent('#explorer-yaml'));
    const copy = await projectWith({'data/scenarios/deepseek-v3-pretraining-what-if.yaml': yaml});
    try {
      const checked = runCli(['check', '--root', copy.root], REPO_ROOT);
      expect(checked.code, checked.stderr + checked.stdout).toBe(0);
      const estimated = runCli(
        ['estimate', 'deepseek-v3-pretraining-what-if', '--json', '--root', copy.root],
        REPO_ROOT,
      );
      expect(estimated.code, estimated.stderr).toBe(0);
      expect(estimated.stdout.trimEnd()).toBe(json);
    } finally {
      await copy.cleanup();
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('answers the question "what if my cluster is 4,096 H100s at $1.90/h, without DualPipe?" as the CLI does on the downloaded scenario', async () => {
    const context = await untimed(browser.newContext({acceptDownloads: true}));
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${server.origin}/explore.html?scenario=deepseek-v3-pretraining`);
    await settled(page);
    await change(page, () => page.selectOption('#f-cluster-hardware', '"h100-sxm"'));
    // The price was stated for the H800: the page says so and offers the H100's catalog price.
    expect(await page.textContent('.explorer-price-note')).toMatch(
      /stated for NVIDIA H800.*catalog price of NVIDIA H100/,
    );
    await change(page, () => page.fill('#f-cluster-gpus', '4096'));
    await change(page, () => page.selectOption('#f-cost-usd_per_gpu_hour-form', 'number'));
    await change(page, () => page.fill('#f-cost-usd_per_gpu_hour', '1.9'));
    await change(page, () => page.selectOption('#f-parallelism-schedule', '"1f1b"'));
    const json = await pageJson(page);
    expect(JSON.parse(json)).toMatchObject({hardwareId: 'h100-sxm', gpus: 4096, usdPerGpuHour: 1.9});
    expect(JSON.parse(json).prediction.step.layout.schedule).toBe('1f1b');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#explorer-download')]);
    const copy = await projectWith({
      'data/scenarios/deepseek-v3-pretraining-what-if.yaml': await readFile((await download.path()) as string, 'utf8'),
    });
    try {
      const checked = runCli(['check', '--root', copy.root], REPO_ROOT);
      expect(checked.code, checked.stderr + checked.stdout).toBe(0);
      const estimated = runCli(
        ['estimate', 'deepseek-v3-pretraining-what-if', '--json', '--root', copy.root],
        REPO_ROOT,
      );
      expect(estimated.stdout.trimEnd()).toBe(json);
    } finally {
      await copy.cleanup();
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows the CLI's messages for invalid combinations at their fields (FP8 on a chip without it, a layout that does not divide), and never NaN", async () => {
    const context = await untimed(browser.newContext({acceptDownloads: true}));
    const page = await context.newPage();
    await page.goto(`${server.origin}/explore.html?scenario=deepseek-v3-pretraining`);
    await settled(page);
    await change(page, () => page.selectOption('#f-cluster-hardware', '"a100-sxm"'));
    expect(await page.getAttribute('#explorer-results', 'data-state')).toBe('problems');
    const fp8 = await page.textContent('#explorer-problems');
    expect(fp8).toMatch(
      /data\/scenarios\/deepseek-v3-pretraining-what-if\.yaml:\d+:\d+ error Hardware `a100-sxm` does not support fp8/,
    );
    expect(await page.getAttribute('#f-precision', 'aria-invalid')).toBe('true');
    expect(await page.textContent('body')).not.toMatch(/\bNaN\b/);
    // The same message, at the same line and column, from `tradeoffs check` on the downloaded file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#explorer-download')]);
    const copy = await projectWith({
      'data/scenarios/deepseek-v3-pretraining-what-if.yaml': await readFile((await download.path()) as string, 'utf8'),
    });
    try {
      const checked = runCli(['check', '--root', copy.root], REPO_ROOT);
      expect(checked.code).toBe(1);
      const [, line, column, reason] = /:(\d+):(\d+) error (.*) invalid-value/.exec(fp8 ?? '') ?? [];
      expect(checked.stderr + checked.stdout).toContain(`${line}:${column}`);
      expect(checked.stderr + checked.stdout).toContain(reason?.trim());
    } finally {
      await copy.cleanup();
    }
    // BF16 on the A100 is valid again; then a tensor-parallel degree that divides nothing.
    await change(page, () => page.selectOption('#f-precision', '"bf16"'));
    expect(await page.getAttribute('#explorer-results', 'data-state')).toBe('estimate');
    expect(await page.getAttribute('#f-precision', 'aria-invalid')).toBeNull();
    await change(page, () => page.fill('#f-parallelism-tp', '3'));
    expect(await page.textContent('#explorer-problems')).toMatch(
      /error Layout of `deepseek-v3-pretraining-what-if`: tp 3/,
    );
    expect(await page.getAttribute('#f-parallelism-tp', 'aria-invalid')).toBe('true');
    await change(page, () => page.fill('#f-parallelism-tp', 'many'));
    expect(await page.textContent('#explorer-problems')).toContain(
      '`parallelism.tp`: expected number, got string `many`',
    );
    expect(await page.textContent('body')).not.toMatch(/\bNaN\b/);
    await context.close();
  });

  it('runs in a Web Worker within the Content-Security-Policy, asking nothing of other hosts; from file:// on the page, with the same numbers', async () => {
    const query = '?scenario=deepseek-v3-serving&set.workload.cache_hit_rate=0.3&at.hardware=h100-sxm';
    const context = await untimed(browser.newContext());
    const page = await context.newPage();
    const problems = watch(page);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.addInitScript(recordPolicyViolations);
    await page.goto(`${server.origin}/explore.html${query}`);
    await settled(page);
    expect(await page.getAttribute('#explorer-results', 'data-where')).toBe('worker');
    expect(await page.textContent('#explorer-status')).toContain('in a Web Worker');
    const overHttp = await pageJson(page);
    expect(JSON.parse(overHttp)).toMatchObject({hardwareId: 'h100-sxm'});
    expect(await page.evaluate(() => (globalThis as Dom).__policyViolations)).toEqual([]);
    expect(requests.filter((url) => !url.startsWith(server.origin) && !url.startsWith('data:'))).toEqual([]);
    expect(requests.filter((url) => url.endsWith('/explorer.js')).length, 'the page and its worker').toBe(2);
    expect(problems).toEqual([]);

    const file = await context.newPage();
    const fileProblems = watch(file);
    await file.addInitScript(recordPolicyViolations);
    await file.goto(`${pathToFileURL(path.join(site, 'explore.html')).href}${query}`);
    await settled(file);
    expect(await file.getAttribute('#explorer-results', 'data-where')).toBe('page');
    expect(await file.textContent('#explorer-status')).toContain(
      'on the page, not in a worker (the page was opened from a file, and browsers start no worker for such pages)',
    );
    expect(await pageJson(file)).toBe(overHttp);
    expect(await file.evaluate(() => (globalThis as Dom).__policyViolations)).toEqual([]);
    expect(fileProblems).toEqual([]);
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious or critical axe-core violations in the ${colorScheme} color scheme, with an estimate and with problems shown`, async () => {
      const context = await untimed(browser.newContext({colorScheme, viewport: {width: 1280, height: 900}}));
      const page = await context.newPage();
      const axe = await readFile(AXE, 'utf8');
      const violations: string[] = [];
      for (const query of [
        '?scenario=deepseek-v3-pretraining',
        '?scenario=deepseek-v3-pretraining&set.cluster.hardware=a100-sxm&set.parallelism.tp=3',
        '?scenario=llama-3.1-405b-serving',
      ]) {
        await page.goto(`${server.origin}/explore.html${query}`);
        await settled(page);
        await page.evaluate(axe);
        const found: Dom[] = await page.evaluate(async () => {
          const results = await (globalThis as Dom).axe.run((globalThis as Dom).document, {
            resultTypes: ['violations'],
          });
          return results.violations.map((violation: Dom) => ({
            id: violation.id,
            impact: violation.impact,
            target: JSON.stringify(violation.nodes[0]?.target ?? []),
          }));
        });
        for (const violation of found)
          if (violation.impact === 'serious' || violation.impact === 'critical')
            violations.push(`${query}: ${violation.id} (${violation.impact}) at ${violation.target}`);
      }
      expect(violations).toEqual([]);
      await context.close();
    });
  }

  it('is keyboard operable: every control is reached with Tab, and a value typed there redraws the estimate', async () => {
    const context = await untimed(browser.newContext({viewport: {width: 1280, height: 900}}));
    const page = await context.newPage();
    await page.goto(`${server.origin}/explore.html?scenario=llama-3.1-405b-pretraining`);
    await settled(page);
    const controls: string[] = await page.$$eval(
      '#explorer-app input, #explorer-app select, #explorer-app button',
      (elements: Dom[]) => elements.map((element) => element.id),
    );
    expect(controls.length).toBeGreaterThan(20);
    const reached = new Set<string>();
    for (let step = 0; step < controls.length + 60 && controls.some((id) => !reached.has(id)); step++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(() => (globalThis as Dom).document.activeElement?.id ?? ''));
    }
    expect(controls.filter((id) => !reached.has(id))).toEqual([]);
    // Type a GPU count with the keyboard alone.
    await page.focus('#explorer-scenario');
    let guard = 0;
    while (
      (await page.evaluate(() => (globalThis as Dom).document.activeElement?.id)) !== 'f-cluster-gpus' &&
      guard++ < 40
    )
      await page.keyboard.press('Tab');
    await change(page, async () => {
      await page.keyboard.press('Control+A');
      await page.keyboard.type('8192');
    });
    expect(JSON.parse(await pageJson(page))).toMatchObject({gpus: 8192});
    await context.close();
  });

  it('without JavaScript, says what it would do and links to every report; its script is loaded by the explorer page alone', async () => {
    const context = await untimed(browser.newContext({javaScriptEnabled: false}));
    const page = await context.newPage();
    await page.goto(`${server.origin}/explore.html`);
    expect(await page.isVisible('#explorer-static')).toBe(true);
    expect(await page.isHidden('#explorer-app')).toBe(true);
    expect(await page.textContent('#explorer-static')).toContain('The explorer needs JavaScript');
    const links: string[] = await page.$$eval('#explorer-static a', (anchors: Dom[]) =>
      anchors.map((anchor) => anchor.getAttribute('href')),
    );
    const slugs = (await readdir(site, {withFileTypes: true}))
      .filter((entry) => entry.isDirectory() && entry.name !== 'fonts')
      .map((entry) => `${entry.name}/index.html`);
    expect([...links].sort()).toEqual(slugs.sort());
    await context.close();

    const html: string[] = [];
    const walk = async (folder: string): Promise<void> => {
      for (const entry of await readdir(folder, {withFileTypes: true})) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.name.endsWith('.html') && (await readFile(full, 'utf8')).includes('explorer.js'))
          html.push(path.relative(site, full));
      }
    };
    await walk(site);
    expect(html).toEqual(['explore.html']);
  });
});
