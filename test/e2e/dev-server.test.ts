import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {cp, mkdtemp, rm} from 'node:fs/promises';
import {request, get, type IncomingMessage} from 'node:http';
import {connect} from 'node:net';
import {networkInterfaces, tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, editFile, REPO_ROOT} from '../helpers/project.js';

/** GET `pathname` exactly as given (no normalisation of `..`), with its status and body. */
function fetchRaw(
  base: string,
  pathname: string,
): Promise<{status: number; body: string; headers: IncomingMessage['headers']}> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({host: url.hostname, port: url.port, path: pathname, method: 'GET'}, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({status: response.statusCode ?? 0, body, headers: response.headers}));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolve when `predicate` holds, polling; fail after `ms`. */
async function until(predicate: () => boolean, what: string, ms = 20_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * `tradeoffs dev` over real HTTP: a small project is served, an edit makes
 * open pages reload, a bad edit serves its positioned error (and prints it)
 * while the server keeps running, and the fix recovers.
 */
describe('tradeoffs dev', () => {
  let root: string;
  let server: ChildProcessWithoutNullStreams;
  let stdout = '';
  let stderr = '';
  let base = '';
  const reloads: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tradeoffs-dev-'));
    await cp(path.join(REPO_ROOT, 'test', 'fixtures', 'golden', 'data'), path.join(root, 'data'), {recursive: true});
    await cp(path.join(REPO_ROOT, 'test', 'fixtures', 'golden', 'templates'), path.join(root, 'templates'), {
      recursive: true,
    });
    server = spawn(process.execPath, [CLI, 'dev', '--port', '0', '--root', root], {env: {...process.env, TZ: 'UTC'}});
    server.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    server.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await until(() => /Serving (http:\S+)/.test(stdout), 'the server to start');
    base = /Serving (http:\S+)/.exec(stdout)?.[1] ?? '';
    // Listen to the reload events as an open page would.
    let connected = false;
    get(`${base}__tradeoffs/events`, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        connected ||= chunk.includes(': connected');
        reloads.push(...(chunk.match(/^event: reload$/gm) ?? []));
      });
    });
    await until(() => connected, 'the event stream');
  });

  afterAll(async () => {
    server.kill('SIGKILL');
    await rm(root, {recursive: true, force: true});
  });

  it('serves the site on loopback, with the reload client in every page', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await fetchRaw(base, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<script src="/__tradeoffs/live-reload.js" defer></script></head>');
    const page = await fetchRaw(base, '/golden-report/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1 id="golden-report">Golden report</h1>');
    expect((await fetchRaw(base, '/golden-report')).status).toBe(301);
    expect((await fetchRaw(base, '/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await fetchRaw(base, '/__tradeoffs/live-reload.js')).body).toContain('EventSource');
    expect((await fetchRaw(base, '/nothing-here.html')).status).toBe(404);
  });

  it('refuses paths that climb out of the site', async () => {
    for (const pathname of [
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/golden-report/../../../etc/passwd',
      '/..%2f..%2fetc/passwd',
      '/%5c..%5cetc',
    ]) {
      const response = await fetchRaw(base, pathname);
      expect(response.status, pathname).toBe(403);
      expect(response.body).not.toContain('root:');
    }
    expect((await fetchRaw(base, '/%E0%A4%A')).status).toBe(400);
  });

  it('listens on loopback only', async () => {
    const port = Number(new URL(base).port);
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
    // Every machine this runs on has an address besides loopback (CI containers have one on their bridge).
    expect(outside, 'a non-loopback IPv4 address to try').toBeDefined();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({host: outside, port});
      socket.on('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('rebuilds after an edit and tells open pages to reload', async () => {
    const before = reloads.length;
    await editFile(root, 'templates/golden-report.mdx', /^# Golden report$/m, '# Golden report, edited');
    await until(() => reloads.length > before, 'a reload event');
    expect((await fetchRaw(base, '/golden-report/')).body).toContain('Golden report, edited</h1>');
    expect(stdout).toMatch(/Rebuilt in \d+ ms: rendered golden-report \(templates\/golden-report\.mdx changed\)/);
  });

  it("serves a bad edit's positioned error, prints it, keeps running, and recovers on the fix", async () => {
    let before = reloads.length;
    await editFile(
      root,
      'templates/golden-report.mdx',
      /^# Golden report, edited$/m,
      '# Golden report, edited\n\n<Chart spec={{',
    );
    await until(() => reloads.length > before, 'a reload event after the bad edit');
    const broken = await fetchRaw(base, '/golden-report/');
    expect(broken.status).toBe(500);
    expect(broken.body).toMatch(
      /<pre role="alert">templates\/golden-report\.mdx\n\d+:\d+ error .* mdx-syntax tradeoffs/,
    );
    expect(broken.body).toContain('<script src="/__tradeoffs/live-reload.js" defer></script>');
    expect(stderr).toMatch(/templates\/golden-report\.mdx\n\d+:\d+ error .* mdx-syntax tradeoffs/);
    expect(server.exitCode).toBeNull();
    before = reloads.length;
    await editFile(root, 'templates/golden-report.mdx', '\n\n<Chart spec={{', '');
    await until(() => reloads.length > before, 'a reload event after the fix');
    const fixed = await fetchRaw(base, '/golden-report/');
    expect(fixed.status).toBe(200);
    expect(fixed.body).toContain('Golden report, edited</h1>');
  });

  it('rebuilds when a data file is replaced by a rename, as editors save', async () => {
    const before = reloads.length;
    const {readFile, writeFile, rename} = await import('node:fs/promises');
    const file = path.join(root, 'data', 'scenarios', 'golden-training.yaml');
    await writeFile(
      `${file}.tmp`,
      (await readFile(file, 'utf8')).replace(
        'name: Llama 3.1 405B pre-training (fixture)',
        'name: Llama 3.1 405B pre-training (renamed)',
      ),
    );
    await rename(`${file}.tmp`, file);
    await until(() => reloads.length > before, 'a reload event after a save by rename');
    await until(() => /golden-training` changed/.test(stdout), 'the rebuild');
    expect((await fetchRaw(base, '/golden-report/')).body).toContain('Llama 3.1 405B pre-training (renamed)');
  });

  it('stops cleanly on SIGINT', async () => {
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    server.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
