import {execFileSync, spawnSync} from 'node:child_process';
import {accessSync, constants} from 'node:fs';
import {readdir, readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {chromium, type Browser, type BrowserContext, type Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {copyProject, REPO_ROOT, runCli} from '../helpers/project.js';
import {CHROMIUM_FLAGS, DEFAULT_CHROMIUM} from '../../src/output/pdf.js';
import {CONTENT_SECURITY_POLICY} from '../../src/render/page-layout.js';
import {serveStatic, type StaticServer} from '../helpers/static-server.js';

/**
 * The default site, built with `build --pdf` into a copy of the project, served
 * over HTTP and opened in a real Chromium (Debian's): errors and requests,
 * charts, horizontal overflow, accessibility (axe-core, light and dark),
 * internal links; then the PDFs, read back with poppler.
 *
 * Each page is opened three times (1280 px light, 1280 px dark, 390 px light),
 * two pages at a time; the tests below assert on what those visits recorded.
 * Every visit listens for Content-Security-Policy violations from the first
 * byte, until interactive charts have hydrated.
 */

// The same Chromium and flags the PDF export uses.
const CHROMIUM = DEFAULT_CHROMIUM;
const CHROMIUM_ARGS = CHROMIUM_FLAGS;
const AXE = path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** Browser-side code is typed loosely: the project's type-check need not include the DOM library. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dom = any;

function requireFile(file: string, mode: number, install: string): void {
  try {
    accessSync(file, mode);
  } catch {
    throw new Error(`${file} is missing: these tests need it and are not skipped without it (${install})`);
  }
}

function requireTool(name: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], {encoding: 'utf8'});
  if (found.status !== 0)
    throw new Error(
      `${name} is not on PATH: the PDF tests need poppler-utils and are not skipped without it (Debian: apt-get install -y poppler-utils)`,
    );
}

function run(tool: string, args: string[]): string {
  requireTool(tool);
  return execFileSync(tool, args, {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
}

/** Text as it compares across HTML and pdftotext: ligatures and no-break spaces folded, runs of white space as one. */
const normalize = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(/[\s\u00a0\u202f\u2009]+/g, ' ')
    .trim();

/**
 * `pdftotext -layout` puts boxes that sit side by side (key figures in a row)
 * on shared lines. Read it column by column as well: runs of text that start at
 * the same character column on consecutive lines are joined, so a value wrapped
 * inside its box reads as one phrase (a value broken inside a word still does not).
 */
function layoutColumns(layout: string): string[] {
  const done: string[] = [];
  let open = new Map<number, string[]>();
  for (const line of layout.split('\n')) {
    const next = new Map<number, string[]>();
    for (const match of line.matchAll(/\S+(?: {1,2}\S+)*/g)) {
      const column = match.index;
      const key = [...open.keys()].find((start) => Math.abs(start - column) <= 1);
      const parts = key === undefined ? [] : open.get(key)!;
      if (key !== undefined) open.delete(key);
      parts.push(match[0]);
      next.set(column, parts);
    }
    for (const parts of open.values()) done.push(parts.join(' '));
    open = next;
  }
  for (const parts of open.values()) done.push(parts.join(' '));
  return done.map(normalize);
}

type Mode = 'desktop-light' | 'desktop-dark' | 'mobile' | 'disk';
const MODES: Record<
  Mode,
  {viewport: {width: number; height: number}; colorScheme: 'light' | 'dark'; axe: boolean; fromDisk?: boolean}
> = {
  'desktop-light': {viewport: {width: 1280, height: 800}, colorScheme: 'light', axe: true},
  'desktop-dark': {viewport: {width: 1280, height: 800}, colorScheme: 'dark', axe: true},
  mobile: {viewport: {width: 390, height: 844}, colorScheme: 'light', axe: false},
  // The site opened from disk (file://), as the README says to.
  disk: {viewport: {width: 1280, height: 800}, colorScheme: 'light', axe: false, fromDisk: true},
};
/** The visits over HTTP. */
const SERVED_MODES = ['desktop-light', 'desktop-dark', 'mobile'] as const;

interface AxeFinding {
  id: string;
  impact: string | null;
  count: number;
  target: string;
  summary: string;
}

interface DomFacts {
  /** Each chart's drawings shown (a chart has a wide and a narrow one; the stylesheet shows one), and its smallest text as drawn, in CSS pixels. */
  charts: {id: string; boxes: {width: number; height: number}[]; smallestText: number | null}[];
  /** How far down the page the <h1> starts (px). */
  h1Top: number;
  scrollWidth: number;
  clientWidth: number;
  /** Elements past the viewport's right edge with no scroll or clipping container that fits around them. */
  outside: string[];
  ids: string[];
  links: {href: string; url: string}[];
  h1: string;
  /** The page's h2 headings with their ids. */
  h2s: {id: string; text: string}[];
  /** The summaries of its <details> (data of figures, inputs of scenarios). */
  summaries: string[];
  cards: {hrefs: string[]; figures: string[]}[];
  /** The page's Content-Security-Policy `<meta>`, and whether it comes right after the charset. */
  csp: {content: string | null; first: boolean};
}

interface PageFacts extends DomFacts {
  path: string;
  /** Console errors, page errors, failed requests and 4xx/5xx responses, one line each. */
  problems: string[];
  /** Every URL the page requested. */
  requests: string[];
  axe: AxeFinding[];
}

interface Pass {
  pages: PageFacts[];
  /** Requests the server answered with 4xx/5xx during the pass (some, like /favicon.ico, Playwright does not report). */
  serverErrors: string[];
}

/** What a page looks like from inside the browser (runs in the page). */
function readDom(): DomFacts {
  const g = globalThis as Dom;
  const doc = g.document;
  const scroller = doc.scrollingElement;
  const width = scroller.clientWidth as number;
  const name = (element: Dom): string => {
    let text = element.tagName.toLowerCase();
    if (element.id) text += `#${element.id}`;
    if (typeof element.className === 'string' && element.className.trim())
      text += `.${element.className.trim().split(/\s+/).join('.')}`;
    return text;
  };
  const contained = (element: Dom): boolean => {
    for (
      let parent = element.parentElement;
      parent && parent !== doc.body && parent !== doc.documentElement;
      parent = parent.parentElement
    ) {
      if (g.getComputedStyle(parent).overflowX !== 'visible' && parent.getBoundingClientRect().right <= width + 1)
        return true;
    }
    return false;
  };
  const sticksOut = (element: Dom): boolean => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !contained(element);
  };
  const outside: string[] = [];
  for (const element of doc.body.querySelectorAll('*')) {
    if (!sticksOut(element)) continue;
    const parent = element.parentElement;
    if (parent && parent !== doc.body && sticksOut(parent)) continue; // the outermost offender only
    const trail: string[] = [];
    for (let at = element; at && at !== doc.body; at = at.parentElement) trail.unshift(name(at));
    outside.push(`${trail.slice(-3).join(' > ')} (right edge ${Math.round(element.getBoundingClientRect().right)} px)`);
  }
  return {
    charts: [...doc.querySelectorAll('figure.chart')].map((figure: Dom) => {
      const shown = [...figure.querySelectorAll('.chart-svg svg')].filter(
        (svg: Dom) => g.getComputedStyle(svg).display !== 'none' && !svg.parentElement.closest('svg'),
      );
      let smallestText: number | null = null;
      for (const svg of shown) {
        // The drawing's scale on the page: its width on screen over the width it was drawn at.
        const drawn = svg.viewBox?.baseVal?.width || Number(svg.getAttribute('width')) || 0;
        const scale = drawn > 0 ? svg.getBoundingClientRect().width / drawn : 1;
        for (const text of svg.querySelectorAll('text')) {
          if (!text.textContent.trim() || g.getComputedStyle(text).opacity === '0') continue;
          const size = Number.parseFloat(g.getComputedStyle(text).fontSize) * scale;
          smallestText = smallestText === null ? size : Math.min(smallestText, size);
        }
      }
      return {
        id: figure.id as string,
        boxes: shown.map((svg: Dom) => {
          const box = svg.getBoundingClientRect();
          return {width: box.width as number, height: box.height as number};
        }),
        smallestText,
      };
    }),
    h1Top: (doc.querySelector('h1')?.getBoundingClientRect().top ?? 0) + g.scrollY,
    scrollWidth: scroller.scrollWidth as number,
    clientWidth: width,
    outside,
    ids: [...doc.querySelectorAll('[id], a[name]')].map(
      (element: Dom) => (element.id || element.getAttribute('name')) as string,
    ),
    links: [...doc.querySelectorAll('a[href]')].map((anchor: Dom) => ({
      href: anchor.getAttribute('href') as string,
      url: anchor.href as string,
    })),
    h1: (doc.querySelector('h1')?.textContent ?? '') as string,
    summaries: [...doc.querySelectorAll('details > summary')].map((summary: Dom) => summary.textContent as string),
    h2s: [...doc.querySelectorAll('h2[id]')].map((heading: Dom) => ({
      id: heading.id as string,
      text: (heading.firstChild?.textContent ?? heading.textContent) as string,
    })),
    csp: {
      content: (doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null) as
        string | null,
      first:
        doc.head.children[1]?.getAttribute('http-equiv') === 'Content-Security-Policy' &&
        doc.head.children[0]?.hasAttribute('charset'),
    },
    cards: [...doc.querySelectorAll('.report-card')].map((card: Dom) => ({
      hrefs: [...card.querySelectorAll('a[href]')].map((anchor: Dom) => anchor.href as string),
      figures: [...card.querySelectorAll('.card-figure-value')].map((value: Dom) => value.textContent as string),
    })),
  };
}

/**
 * Record every Content-Security-Policy violation the page reports (runs before
 * the page's own code, as an init script, which the policy does not govern).
 */
function recordPolicyViolations(): void {
  const g = globalThis as Dom;
  g.__policyViolations = [];
  g.document.addEventListener(
    'securitypolicyviolation',
    (event: Dom) =>
      g.__policyViolations.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile || '?'}:${event.lineNumber}: ${String(event.sample ?? '').slice(0, 80)}`,
      ),
    true,
  );
}

/** The violations recorded so far (runs in the page). */
function policyViolations(): string[] {
  return [...((globalThis as Dom).__policyViolations ?? [])];
}

/** Whether every interactive chart on a page that loads the site's script has swapped its live copy in (runs in the page; the print edition loads none). */
function hydrated(): boolean {
  const doc = (globalThis as Dom).document;
  if (!doc.querySelector('script[src$="interactive.js"]')) return true;
  return [...doc.querySelectorAll('figure[data-interactive]')].every(
    (figure: Dom) => figure.dataset.hydrated === 'true',
  );
}

/**
 * Listen for the page telling why an interactive chart will not hydrate: the
 * script keeps the static chart with a console warning, a script fails, a
 * request fails. Resolves to the reason. Call before the page loads, so no
 * event is missed.
 */
function hydrationFailure(page: Page): Promise<string> {
  return new Promise((resolve) => {
    page.on('console', (message) => {
      if (message.text().startsWith('tradeoffs: keeping the static chart')) resolve(message.text());
    });
    page.on('pageerror', (error) => resolve(`page error: ${error.message}`));
    page.on('requestfailed', (request) => resolve(`request failed: ${request.url()}`));
    page.on('response', (response) => {
      if (response.status() >= 400) resolve(`HTTP ${response.status()} for ${response.url()}`);
    });
  });
}

/** Wait until every interactive chart of the loaded page has hydrated, or `failure` says why not: events, not a clock. */
async function hydratedOr(page: Page, failure: Promise<string>): Promise<string | undefined> {
  // When a chart fails, pending until the page closes: settled then, and not reported twice.
  const hydrating = page.waitForFunction(hydrated, undefined, {timeout: 0}).then(() => undefined);
  hydrating.catch(() => undefined);
  return Promise.race([hydrating, failure]);
}

/**
 * A browser context whose waits (navigation, selectors, functions) have no
 * clock of their own: they end on the page's events, and the test's timeout
 * is the one safety net, so a busy machine makes them slower, not failed.
 */
async function untimed(context: Promise<BrowserContext>): Promise<BrowserContext> {
  const opened = await context;
  opened.setDefaultTimeout(0);
  opened.setDefaultNavigationTimeout(0);
  return opened;
}

/** axe-core's violations on the page (runs in the page, after axe.min.js is injected). */
async function runAxe(): Promise<AxeFinding[]> {
  const g = globalThis as Dom;
  const results = await g.axe.run(g.document, {resultTypes: ['violations']});
  return (results.violations as Dom[]).map((violation) => ({
    id: violation.id as string,
    impact: (violation.impact ?? null) as string | null,
    count: violation.nodes.length as number,
    target: JSON.stringify(violation.nodes[0]?.target ?? []),
    summary: String(violation.nodes[0]?.failureSummary ?? '')
      .split('\n')
      .slice(0, 2)
      .join(' '),
  }));
}

let axeScript: Promise<string> | undefined;
function axeSource(): Promise<string> {
  axeScript ??= readFile(AXE, 'utf8');
  return axeScript;
}

/** Map with at most `limit` calls in flight, results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]!);
    }
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
  return results;
}

describe('the built default site in Chromium', () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  let site: string;
  let server: StaticServer;
  let browser: Browser;
  /** Site-relative paths of every page: index.html, print.html, <slug>/index.html. */
  let pages: string[];
  let slugs: string[];

  beforeAll(async () => {
    requireFile(CHROMIUM, constants.X_OK, 'Debian: apt-get install -y chromium');
    requireFile(AXE, constants.R_OK, 'npm install --save-dev --save-exact axe-core@4.14.1');
    project = await copyProject();
    const launching = chromium.launch({executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 0});
    launching.catch(() => {}); // reported below, after the build
    const built = runCli(['build', '--pdf'], project.root);
    browser = await launching;
    if (built.code !== 0) throw new Error(`build --pdf exited ${built.code}:\n${built.stderr}${built.stdout}`);
    site = path.join(project.root, 'reports');
    slugs = [];
    for (const entry of await readdir(site, {withFileTypes: true})) {
      if (entry.isDirectory() && (await readdir(path.join(site, entry.name))).includes('index.html'))
        slugs.push(entry.name);
    }
    slugs.sort();
    pages = ['index.html', 'print.html', 'data.html', '404.html', ...slugs.map((slug) => `${slug}/index.html`)];
    server = await serveStatic(site);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await project?.cleanup();
  });

  /** Open one page in a fresh context, wait until it has loaded and painted, and record everything the tests check. */
  async function visit(pagePath: string, mode: Mode): Promise<PageFacts> {
    const {viewport, colorScheme, axe, fromDisk} = MODES[mode];
    const context = await untimed(browser.newContext({viewport, colorScheme}));
    try {
      const page: Page = await context.newPage();
      const failure = hydrationFailure(page);
      await page.emulateMedia({colorScheme});
      const label = `${pagePath} (${mode})`;
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error')
          problems.push(
            `${label}: console error: ${message.text()}${message.location().url ? ` [${message.location().url}]` : ''}`,
          );
      });
      page.on('pageerror', (error) => problems.push(`${label}: page error: ${error.message}`));
      page.on('request', (request) => requests.push(request.url()));
      await page.addInitScript(recordPolicyViolations);
      page.on('requestfailed', (request) =>
        problems.push(`${label}: request failed: ${request.url()} (${request.failure()?.errorText ?? '?'})`),
      );
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${label}: HTTP ${response.status()} for ${response.url()}`);
      });
      const address = fromDisk ? pathToFileURL(path.join(site, pagePath)).href : `${server.origin}/${pagePath}`;
      const response = await page.goto(address, {waitUntil: 'load'});
      if (!fromDisk && response?.status() !== 200)
        problems.push(`${label}: HTTP ${response?.status() ?? 'no response'} for the page itself`);
      // Interactive charts have swapped in (or one could not be: the page says so), then two frames:
      // whatever a script does on load has been drawn.
      const failed = await hydratedOr(page, failure);
      if (failed) problems.push(`${label}: interactive charts did not hydrate: ${failed}`);
      await page.evaluate(
        () =>
          new Promise<void>((resolve) =>
            (globalThis as Dom).requestAnimationFrame(() => (globalThis as Dom).requestAnimationFrame(() => resolve())),
          ),
      );
      const facts = await page.evaluate(readDom);
      for (const violation of await page.evaluate(policyViolations))
        problems.push(`${label}: Content-Security-Policy violation: ${violation}`);
      let found: AxeFinding[] = [];
      if (axe) {
        // Evaluated through the DevTools protocol: the page's policy allows no inline <script>, as addScriptTag would add.
        await page.evaluate(await axeSource());
        found = await page.evaluate(runAxe);
      }
      return {path: pagePath, problems, requests: [...requests], axe: found, ...facts};
    } finally {
      await context.close();
    }
  }

  let queue: Promise<unknown> = Promise.resolve();
  const passes = new Map<Mode, Promise<Pass>>();
  /** Every page opened in one mode; each mode once per file, one mode at a time (so the server's log belongs to it). */
  function pass(mode: Mode): Promise<Pass> {
    let started = passes.get(mode);
    if (!started) {
      started = queue.then(async () => {
        const from = server.requests.length;
        // The heaviest page first, two pages at a time.
        const order = [...pages].sort((a, b) => Number(b === 'print.html') - Number(a === 'print.html'));
        const visited = await mapLimit(order, 2, (pagePath) => visit(pagePath, mode));
        const serverErrors = server.requests
          .slice(from)
          .filter((request) => request.status >= 400)
          .map(
            (request) =>
              `server answered ${request.status} to ${request.method} ${request.url} during the ${mode} visits`,
          );
        return {pages: pages.map((pagePath) => visited.find((facts) => facts.path === pagePath)!), serverErrors};
      });
      queue = started.catch(() => {});
      passes.set(mode, started);
    }
    return started;
  }

  it('loads every page without console errors, page errors, failed requests or 4xx/5xx responses', async () => {
    const problems: string[] = [];
    for (const mode of SERVED_MODES) {
      const {pages: visited, serverErrors} = await pass(mode);
      problems.push(...visited.flatMap((facts) => facts.problems), ...serverErrors);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it("sets the site's Content-Security-Policy on every page, right after the charset, and the browser enforces it", async () => {
    const wrong: string[] = [];
    for (const facts of (await pass('desktop-light')).pages) {
      if (facts.csp.content !== CONTENT_SECURITY_POLICY)
        wrong.push(`${facts.path}: ${facts.csp.content ?? 'no Content-Security-Policy <meta>'}`);
      else if (!facts.csp.first)
        wrong.push(`${facts.path}: the policy <meta> is not the head's second element, after the charset`);
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    // In force: an inline script and an inline style are refused and reported.
    const context = await untimed(browser.newContext());
    const page = await context.newPage();
    await page.addInitScript(recordPolicyViolations);
    await page.goto(`${server.origin}/index.html`, {waitUntil: 'load'});
    await page.addScriptTag({content: 'globalThis.__inlineRan = true;'}).catch(() => undefined);
    await page.addStyleTag({content: 'body { background: red; }'}).catch(() => undefined);
    expect(await page.evaluate(() => (globalThis as Dom).__inlineRan === true)).toBe(false);
    const violations = await page.evaluate(policyViolations);
    expect(
      violations.some((violation) => violation.startsWith('script-src-elem')),
      violations.join('\n'),
    ).toBe(true);
    expect(
      violations.some((violation) => violation.startsWith('style-src-elem')),
      violations.join('\n'),
    ).toBe(true);
    await context.close();
  });

  it('requests nothing from any host but the local server', async () => {
    const foreign: string[] = [];
    let count = 0;
    for (const mode of SERVED_MODES) {
      for (const facts of (await pass(mode)).pages) {
        count += facts.requests.length;
        for (const url of facts.requests)
          if (!url.startsWith('data:') && new URL(url).origin !== server.origin)
            foreign.push(`${facts.path} (${mode}): ${url}`);
      }
    }
    expect(count, 'requests recorded').toBeGreaterThanOrEqual(pages.length * 3);
    expect(foreign, foreign.join('\n')).toEqual([]);
  });

  it('draws every chart (figure.chart .chart-svg svg) with a non-zero bounding box at 1280 px and 390 px', async () => {
    const empty: string[] = [];
    let charts = 0;
    for (const mode of ['desktop-light', 'mobile'] as const) {
      for (const facts of (await pass(mode)).pages) {
        for (const figure of facts.charts) {
          if (figure.boxes.length !== 1)
            empty.push(`${facts.path}#${figure.id} (${mode}): ${figure.boxes.length} drawings shown, expected one`);
          for (const box of figure.boxes) {
            charts += 1;
            if (!(box.width > 0 && box.height > 0))
              empty.push(`${facts.path}#${figure.id} (${mode}): ${box.width} × ${box.height} px`);
          }
        }
      }
    }
    expect(charts, 'charts drawn on the site').toBeGreaterThan(0);
    expect(empty, empty.join('\n')).toEqual([]);
  });

  it('sets every chart’s text at 11 px or more on a 390 px phone (its narrow variant, or the wide chart unscaled)', async () => {
    const small: string[] = [];
    let measured = 0;
    for (const facts of (await pass('mobile')).pages)
      for (const figure of facts.charts) {
        if (figure.smallestText === null) continue;
        measured++;
        if (figure.smallestText < 11) small.push(`${facts.path}#${figure.id}: ${figure.smallestText.toFixed(1)} px`);
      }
    expect(measured, 'charts measured').toBeGreaterThan(10);
    expect(small, small.join('\n')).toEqual([]);
  });

  it('puts the content first on a 390 px phone: navigation and contents collapsed, the title within the first 320 px', async () => {
    const late = (await pass('mobile')).pages
      .filter((facts) => facts.path.endsWith('/index.html') && facts.h1Top > 320)
      .map((facts) => `${facts.path}: <h1> at ${Math.round(facts.h1Top)} px`);
    expect(late, late.join('\n')).toEqual([]);
  });

  for (const [label, mode] of [
    ['1280 px', 'desktop-light'],
    ['390 px (mobile)', 'mobile'],
  ] as const) {
    it(`does not overflow the page body horizontally at ${label}: anything wider scrolls inside its own container`, async () => {
      const failures: string[] = [];
      for (const facts of (await pass(mode)).pages) {
        if (facts.scrollWidth > facts.clientWidth + 1 || facts.outside.length > 0) {
          const shown = facts.outside.slice(0, 6).join('; ') || 'none found';
          const more = facts.outside.length > 6 ? ` (+${facts.outside.length - 6} more)` : '';
          failures.push(
            `${facts.path}: document ${facts.scrollWidth} px wide in ${facts.clientWidth} px; outside any scroll container: ${shown}${more}`,
          );
        }
      }
      expect(failures, failures.join('\n')).toEqual([]);
    });
  }

  for (const [scheme, mode] of [
    ['light', 'desktop-light'],
    ['dark', 'desktop-dark'],
  ] as const) {
    it(`has no serious or critical axe-core violations on any page in the ${scheme} color scheme`, async () => {
      const violations: string[] = [];
      for (const facts of (await pass(mode)).pages) {
        for (const found of facts.axe) {
          if (found.impact === 'serious' || found.impact === 'critical') {
            violations.push(
              `${found.id} (${found.impact}, ${found.count} node(s)) on ${facts.path}, first ${found.target}: ${found.summary}`,
            );
          }
        }
      }
      expect(violations, `${scheme} color scheme:\n${violations.join('\n')}`).toEqual([]);
    });
  }

  it('swaps a live chart in for the static SVG of interactive charts, shows tooltips on hover, and keeps the static chart without JavaScript', async () => {
    const context = await untimed(browser.newContext({viewport: {width: 1280, height: 900}}));
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.addInitScript(recordPolicyViolations);
    await page.goto(`${server.origin}/does-efficiency-reduce-compute/index.html`, {waitUntil: 'load'});
    const figure = page.locator('figure[data-interactive]').first();
    await figure.waitFor({state: 'attached'});
    await page.waitForSelector('figure[data-interactive][data-hydrated="true"]');
    // The live copy replaced the static one inside the figure's image box.
    expect(await figure.locator('.chart-svg > .chart-live svg').count()).toBe(1);
    expect(await figure.locator('.chart-svg > svg').count()).toBe(0);
    await figure.scrollIntoViewIfNeeded();
    const line = await figure.locator('.chart-live .mark-line path').first().boundingBox();
    expect(line).not.toBeNull();
    await page.mouse.move(line!.x + line!.width / 2, line!.y + line!.height / 2);
    await page.locator('#vg-tooltip-element').waitFor({state: 'visible'});
    // Drawn, hydrated and hovered within the Content-Security-Policy: no violation, and no <style>
    // element injected (the tooltip is styled by the site's stylesheet).
    expect(await page.evaluate(policyViolations)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await page.locator('style').count()).toBe(0);
    expect(
      await page
        .locator('#vg-tooltip-element')
        .evaluate((element: Dom) => (globalThis as Dom).getComputedStyle(element).position),
    ).toBe('fixed');
    // The sliders sit beside the chart, outside its role="img" box.
    expect(await figure.locator('.vega-bindings input[type="range"]').count()).toBe(2);
    expect(await figure.locator('.chart-svg .vega-bindings').count()).toBe(0);
    await context.close();
    // Without JavaScript, the static SVG stands.
    const still = await untimed(browser.newContext({javaScriptEnabled: false}));
    const staticPage = await still.newPage();
    await staticPage.goto(`${server.origin}/does-efficiency-reduce-compute/index.html`, {waitUntil: 'load'});
    expect(await staticPage.locator('figure[data-interactive] .chart-svg > svg:visible').count()).toBe(1);
    await still.close();
  });

  it('resolves every internal link: #anchors exist in their page, other pages and files load with 200', async () => {
    const visited = (await pass('desktop-light')).pages;
    const idsByPath = new Map(
      visited.map((facts) => [new URL(`${server.origin}/${facts.path}`).pathname, new Set(facts.ids)]),
    );
    const links = visited.flatMap((facts) =>
      facts.links.filter((link) => !/^(https?:|mailto:)/i.test(link.href)).map((link) => ({from: facts.path, ...link})),
    );
    expect(links.length, 'internal links found').toBeGreaterThan(pages.length);

    const broken: string[] = [];
    const statuses = new Map<string, number>();
    for (const link of links) {
      const url = new URL(link.url);
      if (url.origin !== server.origin) {
        broken.push(`${link.from}: ${link.href} leaves the site (${link.url})`);
        continue;
      }
      const target = url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname;
      if (!statuses.has(target)) statuses.set(target, (await fetch(`${server.origin}${target}`)).status);
      if (statuses.get(target) !== 200) {
        broken.push(`${link.from}: ${link.href} → HTTP ${statuses.get(target)}`);
        continue;
      }
      const fragment = decodeURIComponent(url.hash.slice(1));
      if (fragment === '' || fragment === 'top') continue;
      const ids = idsByPath.get(target);
      if (!ids) broken.push(`${link.from}: ${link.href} points into ${target}, which is not a page of the site`);
      else if (!ids.has(fragment))
        broken.push(`${link.from}: ${link.href} → no element with id "${fragment}" in ${target}`);
    }
    expect(broken, broken.join('\n')).toEqual([]);
  });

  it('works from disk (file://): no errors or blocked requests, and every internal link names a file that exists, anchors included', async () => {
    const {pages: visited} = await pass('disk');
    const problems = visited.flatMap((facts) => facts.problems);
    expect(problems, problems.join('\n')).toEqual([]);
    const siteUrl = pathToFileURL(site).href;
    const idsByFile = new Map(visited.map((facts) => [path.join(site, facts.path), new Set(facts.ids)]));
    const broken: string[] = [];
    let checked = 0;
    for (const facts of visited) {
      for (const link of facts.links) {
        if (!link.url.startsWith('file:')) continue;
        checked++;
        const url = new URL(link.url);
        if (!url.href.startsWith(siteUrl)) {
          broken.push(`${facts.path}: ${link.href} leaves the site (${url.href})`);
          continue;
        }
        const file = fileURLToPath(url);
        const found = await stat(file).catch(() => undefined);
        if (!found?.isFile()) {
          broken.push(
            `${facts.path}: ${link.href} → ${found ? 'a folder (a browser shows its listing)' : 'no such file'}`,
          );
          continue;
        }
        const fragment = decodeURIComponent(url.hash.slice(1));
        const ids = idsByFile.get(file);
        if (fragment && ids && !ids.has(fragment))
          broken.push(`${facts.path}: ${link.href} → no element with id "${fragment}"`);
      }
    }
    expect(checked, 'internal links checked from disk').toBeGreaterThan(pages.length * 5);
    expect(broken, broken.join('\n')).toEqual([]);
  });

  it('searches every report from the header, offline, over HTTP and from disk, and leads to the section found', async () => {
    const visited = (await pass('desktop-light')).pages;
    const report = visited.find((facts) => facts.path.endsWith('/index.html') && facts.h2s.length > 1)!;
    const section = report.h2s[1]!;
    for (const base of [`${server.origin}/index.html`, pathToFileURL(path.join(site, 'index.html')).href]) {
      const context = await untimed(browser.newContext({viewport: {width: 1280, height: 900}}));
      const page = await context.newPage();
      await page.addInitScript(recordPolicyViolations);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
      });
      await page.goto(base, {waitUntil: 'load'});
      const input = page.getByRole('searchbox', {name: 'Search the reports'});
      await input.fill(section.text.trim());
      const wanted = `${report.path}#${section.id}`;
      const result = page.locator(`.search-results a[href$="${wanted}"]`);
      await result.first().waitFor({state: 'visible'});
      await Promise.all([page.waitForURL((url) => url.href.endsWith(wanted)), result.first().click()]);
      expect(await page.locator(`h2[id="${section.id}"]`).count(), base).toBe(1);
      expect(errors, base).toEqual([]);
      expect(await page.evaluate(policyViolations), base).toEqual([]);
      await context.close();
    }
  });

  it('follows the system’s theme by default, keeps the reader’s choice, and applies it before the page is drawn', async () => {
    const context = await untimed(browser.newContext({colorScheme: 'light'}));
    const page = await context.newPage();
    // The page's background when it has been parsed, before anything else runs.
    await page.addInitScript(() => {
      const g = globalThis as Dom;
      g.document.addEventListener('DOMContentLoaded', () => {
        g.__firstBackground = g.getComputedStyle(g.document.documentElement).backgroundColor;
      });
    });
    const report = `${server.origin}/${pages.find((page) => page.endsWith('/index.html'))}`;
    await page.goto(report, {waitUntil: 'load'});
    const light = await page.evaluate(() => (globalThis as Dom).__firstBackground as string);
    const control = page.getByRole('combobox', {name: 'Theme'});
    expect(await control.inputValue()).toBe('');
    await control.selectOption('dark');
    expect(await page.evaluate(() => (globalThis as Dom).document.documentElement.dataset.theme)).toBe('dark');
    await page.reload({waitUntil: 'load'});
    const dark = await page.evaluate(() => (globalThis as Dom).__firstBackground as string);
    expect(dark).not.toBe(light);
    expect(await page.getByRole('combobox', {name: 'Theme'}).inputValue()).toBe('dark');
    await page.getByRole('combobox', {name: 'Theme'}).selectOption('');
    await page.reload({waitUntil: 'load'});
    expect(await page.evaluate(() => (globalThis as Dom).__firstBackground as string)).toBe(light);
    await context.close();
  });

  it('prints every page with its <details> open and its tables within the page width (A4, print media)', async () => {
    const context = await untimed(browser.newContext({viewport: {width: 688, height: 1000}, javaScriptEnabled: false}));
    const page = await context.newPage();
    await page.emulateMedia({media: 'print', colorScheme: 'light'});
    const problems: string[] = [];
    let details = 0;
    let tables = 0;
    for (const pagePath of pages) {
      await page.goto(`${server.origin}/${pagePath}`, {waitUntil: 'load'});
      const found = await page.evaluate(() => {
        const doc = (globalThis as Dom).document;
        // Printed <details> (the navigation and contents are not printed at all).
        const printed = [...doc.querySelectorAll('details')].filter(
          (element: Dom) => element.getClientRects().length > 0,
        );
        const closed = printed.filter((element: Dom) =>
          [...element.children].some(
            (child: Dom) => child.tagName !== 'SUMMARY' && child.getBoundingClientRect().height === 0,
          ),
        );
        const main = doc.querySelector('main') ?? doc.body;
        const right = main.getBoundingClientRect().right;
        const wide = [...doc.querySelectorAll('table')].filter(
          (table: Dom) => table.getBoundingClientRect().right > right + 1,
        );
        return {
          details: printed.length as number,
          closed: closed.map((element: Dom) => (element.querySelector('summary')?.textContent ?? '?') as string),
          tables: doc.querySelectorAll('table').length as number,
          wide: wide.map(
            (table: Dom) =>
              `${Math.round(table.getBoundingClientRect().right - right)} px past the page: ${String(table.textContent).slice(0, 60)}`,
          ),
        };
      });
      details += found.details;
      tables += found.tables;
      for (const summary of found.closed) problems.push(`${pagePath}: <details> "${summary}" prints closed`);
      for (const table of found.wide) problems.push(`${pagePath}: a table ${table}`);
    }
    await context.close();
    expect(details, '<details> elements printed').toBeGreaterThan(10);
    expect(tables, 'tables printed').toBeGreaterThan(10);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  describe('PDFs (read back with poppler)', () => {
    /** Each report's title (its page's <h1>) and the key-figure values its index card shows. */
    async function reportFacts(): Promise<Map<string, {title: string; figures: string[]}>> {
      const visited = (await pass('desktop-light')).pages;
      const cards = visited.find((facts) => facts.path === 'index.html')!.cards;
      const facts = new Map<string, {title: string; figures: string[]}>();
      for (const slug of slugs) {
        const title = visited.find((page) => page.path === `${slug}/index.html`)!.h1;
        const own = [`${server.origin}/${slug}/index.html`, `${server.origin}/${slug}/`];
        const figures = cards
          .filter((card) => card.hrefs.some((href) => own.includes(href.split('#')[0]!)))
          .flatMap((card) => card.figures);
        facts.set(slug, {title, figures});
      }
      return facts;
    }

    it('prints each report with its title and its key figures as the index card shows them (pdftotext -layout)', async () => {
      requireTool('pdftotext');
      const facts = await reportFacts();
      expect(facts.size, 'reports').toBeGreaterThan(0);
      expect(
        [...facts.values()].some(({figures}) => figures.length > 0),
        'index cards with a key figure',
      ).toBe(true);
      const missing: string[] = [];
      for (const [slug, {title, figures}] of facts) {
        const layout = run('pdftotext', ['-layout', path.join(site, 'pdf', `${slug}.pdf`), '-']);
        const text = normalize(layout);
        const columns = layoutColumns(layout);
        const contains = (wanted: string): boolean =>
          text.includes(normalize(wanted)) || columns.some((column) => column.includes(normalize(wanted)));
        if (!normalize(title)) missing.push(`${slug}/index.html has no <h1>`);
        else if (!contains(title)) missing.push(`${slug}.pdf: title "${normalize(title)}" not in its text`);
        for (const figure of figures)
          if (!contains(figure))
            missing.push(`${slug}.pdf: key figure "${normalize(figure)}" (index card) not in its text`);
      }
      expect(missing, missing.join('\n')).toEqual([]);
    });

    it('prints every PDF on A4 pages (595.92 × 842.88 pt) with no raster images', async () => {
      requireTool('pdfinfo');
      requireTool('pdfimages');
      const files = (await readdir(path.join(site, 'pdf'))).filter((file) => file.endsWith('.pdf')).sort();
      expect(files).toEqual([...slugs.map((slug) => `${slug}.pdf`), 'tradeoffs-reports.pdf'].sort());
      const wrong: string[] = [];
      for (const file of files) {
        const full = path.join(site, 'pdf', file);
        const info = run('pdfinfo', ['-f', '1', '-l', '100000', full]);
        const pageCount = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
        const sizes = [...info.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/gm)];
        if (pageCount === 0 || sizes.length !== pageCount)
          wrong.push(`${file}: ${pageCount} page(s), ${sizes.length} page size(s) listed`);
        for (const [, page, width, height] of sizes) {
          if (Math.abs(Number(width) - 595.92) > 1 || Math.abs(Number(height) - 842.88) > 1)
            wrong.push(`${file} page ${page}: ${width} × ${height} pt, not A4`);
        }
        const images = run('pdfimages', ['-list', full])
          .split('\n')
          .slice(2)
          .filter((line) => line.trim() !== '');
        if (images.length > 0) wrong.push(`${file}: ${images.length} raster image(s), first: ${images[0]!.trim()}`);
      }
      expect(wrong, wrong.join('\n')).toEqual([]);
    });

    it('prints the content of every <details> (figures’ data, scenarios’ inputs) into the report PDFs', async () => {
      requireTool('pdftotext');
      const visited = (await pass('desktop-light')).pages;
      const missing: string[] = [];
      let summaries = 0;
      for (const slug of slugs) {
        const facts = visited.find((page) => page.path === `${slug}/index.html`)!;
        const text = normalize(run('pdftotext', [path.join(site, 'pdf', `${slug}.pdf`), '-']));
        for (const summary of facts.summaries.filter((summary) => !/^On this page$|^Reports$/.test(summary))) {
          summaries++;
          if (!text.includes(normalize(summary))) missing.push(`${slug}.pdf: "${normalize(summary)}"`);
        }
      }
      expect(summaries, '<details> on the report pages').toBeGreaterThan(slugs.length);
      expect(missing, `not printed:\n${missing.join('\n')}`).toEqual([]);
    });

    it('prints tagged PDFs with bookmarks: each report’s title and sections, every report in the site’s PDF', async () => {
      requireTool('pdfinfo');
      requireTool('pdftohtml');
      const facts = await reportFacts();
      const outline = (file: string) =>
        [
          ...run('pdftohtml', ['-xml', '-i', '-q', '-stdout', path.join(site, 'pdf', file)]).matchAll(
            /<item page="\d+">([^<]*)<\/item>/g,
          ),
        ].map(([, title]) =>
          normalize(
            title!
              .replace(/&amp;/g, '&')
              .replace(/&#39;|&apos;/g, "'")
              .replace(/&quot;/g, '"'),
          ),
        );
      const wrong: string[] = [];
      for (const [slug, {title}] of facts) {
        const file = `${slug}.pdf`;
        if (!/^Tagged:\s+yes$/m.test(run('pdfinfo', [path.join(site, 'pdf', file)]))) wrong.push(`${file}: not tagged`);
        const items = outline(file);
        // Chromium takes a bookmark's text as laid out: a title wrapped on two lines loses the space between.
        const squeezed = (text: string | undefined) => (text ?? '').replace(/\s+/g, '');
        if (squeezed(items[0]) !== squeezed(normalize(title)))
          wrong.push(`${file}: first bookmark ${JSON.stringify(items[0])}, expected its title`);
        if (items.length < 3) wrong.push(`${file}: ${items.length} bookmark(s)`);
      }
      const whole = outline('tradeoffs-reports.pdf');
      for (const [slug, {title}] of facts)
        if (!whole.some((item) => item.replace(/\s+/g, '') === normalize(title).replace(/\s+/g, '')))
          wrong.push(`tradeoffs-reports.pdf: no bookmark for ${slug}`);
      expect(wrong, wrong.join('\n')).toEqual([]);
    });

    it('prints the whole site (tradeoffs-reports.pdf) with every report title', async () => {
      requireTool('pdftotext');
      const facts = await reportFacts();
      const layout = run('pdftotext', ['-layout', path.join(site, 'pdf', 'tradeoffs-reports.pdf'), '-']);
      const text = normalize(layout);
      const columns = layoutColumns(layout);
      const missing = [...facts]
        .filter(
          ([, {title}]) =>
            !text.includes(normalize(title)) && !columns.some((column) => column.includes(normalize(title))),
        )
        .map(([slug, {title}]) => `${slug}: "${normalize(title)}"`);
      expect(facts.size, 'reports').toBeGreaterThan(0);
      expect(missing, `report titles missing from tradeoffs-reports.pdf:\n${missing.join('\n')}`).toEqual([]);
    });
  });
});
