import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {cp, mkdtemp, rm} from 'node:fs/promises';
import {createServer, request, get, type IncomingMessage} from 'node:http';
import {connect, type AddressInfo} from 'node:net';
import {networkInterfaces, tmpdir} from 'node:os';
import path from 'node:path';
import type {Readable} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, editFile, REPO_ROOT} from '../helpers/project.js';

/** GET `pathname` exactly as given (no normalisation of `..`), with its status and body. */
function fetchRaw(
  base: string,
  pathname: string,
  headers: Record<string, string> = {},
): Promise<{status: number; body: string; headers: IncomingMessage['headers']}> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({host: url.hostname, port: url.port, path: pathname, method: 'GET', headers}, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({status: response.statusCode ?? 0, body, headers: response.headers}));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * What a stream has written so far, and a wait for what it writes next: no
 * clock, so a busy machine only makes the wait longer (the test's timeout is
 * the safety net).
 */
class Output {
  text = '';
  readonly #changed = new Set<() => void>();
  #ended = false;

  constructor(stream: Readable) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.text += chunk;
      for (const notify of this.#changed) notify();
    });
    stream.on('close', () => {
      this.#ended = true;
      for (const notify of this.#changed) notify();
    });
  }

  /** Resolves with the first match of `pattern` in what was written from offset `from` on; rejects if the stream ends first. */
  until(pattern: RegExp, from = 0): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(this.text.slice(from));
        if (match || this.#ended) this.#changed.delete(check);
        if (match) resolve(match);
        else if (this.#ended) reject(new Error(`the stream ended without ${String(pattern)}:\n${this.text}`));
      };
      this.#changed.add(check);
      check();
    });
  }
}

/** The server-sent events of the dev server, as an open page receives them. */
class Reloads {
  count = 0;
  readonly #waiting = new Set<() => void>();

  /** Resolves when the event stream is open, then counts `reload` events. */
  static open(base: string): Promise<Reloads> {
    const reloads = new Reloads();
    return new Promise((resolve, reject) => {
      get(`${base}__tradeoffs/events`, (response) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (chunk.includes(': connected')) resolve(reloads);
          for (const _event of chunk.match(/^event: reload$/gm) ?? []) {
            reloads.count++;
            for (const notify of reloads.#waiting) notify();
            reloads.#waiting.clear();
          }
        });
      }).on('error', reject);
    });
  }

  /** Resolves on the next reload event after this call. */
  next(): Promise<void> {
    return new Promise((resolve) => this.#waiting.add(resolve));
  }
}

/**
 * `tradeoffs dev` over real HTTP: a small project is served, an edit makes
 * open pages reload, a bad edit serves its positioned error (and prints it)
 * while the server keeps running, and the fix recovers.
 *
 * Every wait is on an event: a line the server prints, a reload it sends.
 * An edit may take more than one rebuild (an editor's save is several file
 * events, and a busy machine spreads them out; a rebuild may even read a
 * half-written file), so a test waits for the page it expects, fetching it
 * again after each reload, rather than for the first reload.
 */
describe('tradeoffs dev', () => {
  let root: string;
  let server: ChildProcessWithoutNullStreams;
  let stdout: Output;
  let stderr: Output;
  let base = '';
  let reloads: Reloads;

  /** The page at `pathname` once it is what `expected` accepts: fetched now, and again after every reload. */
  async function served(
    pathname: string,
    expected: (response: Awaited<ReturnType<typeof fetchRaw>>) => boolean,
  ): Promise<Awaited<ReturnType<typeof fetchRaw>>> {
    for (;;) {
      // Listen before fetching, so a reload during the fetch is not missed.
      const reloaded = reloads.next();
      const response = await fetchRaw(base, pathname);
      if (expected(response)) return response;
      await reloaded;
    }
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tradeoffs-dev-'));
    await cp(path.join(REPO_ROOT, 'test', 'fixtures', 'golden', 'data'), path.join(root, 'data'), {recursive: true});
    await cp(path.join(REPO_ROOT, 'test', 'fixtures', 'golden', 'templates'), path.join(root, 'templates'), {
      recursive: true,
    });
    server = spawn(process.execPath, [CLI, 'dev', '--port', '0', '--root', root], {env: {...process.env, TZ: 'UTC'}});
    stdout = new Output(server.stdout);
    stderr = new Output(server.stderr);
    base = (await stdout.until(/Serving (http:\S+)/))[1] ?? '';
    // Listen to the reload events as an open page would.
    reloads = await Reloads.open(base);
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

  it("answers only to the Host names 127.0.0.1 and localhost (DNS rebinding), with the site's CSP on every response", async () => {
    const port = new URL(base).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, 'LOCALHOST', '127.0.0.1']) {
      const response = await fetchRaw(base, '/style.css', {host});
      expect(response.status, host).toBe(200);
      expect(response.headers['content-security-policy']).toMatch(/^default-src 'none'; .*frame-ancestors 'none'$/);
    }
    for (const host of [`attacker.example:${port}`, 'attacker.example', `127.0.0.1.nip.io:${port}`, `[::1]:${port}`]) {
      for (const pathname of ['/', '/style.css', '/__tradeoffs/events']) {
        const response = await fetchRaw(base, pathname, {host});
        expect(response.status, `${host} ${pathname}`).toBe(421);
        expect(response.body).not.toContain('<html');
      }
    }
    // No Host at all (HTTP/1.0): refused too.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect({host: '127.0.0.1', port: Number(port)}, () => socket.end('GET / HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.[01] 421 /);
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
    const from = stdout.text.length;
    const reloaded = reloads.next();
    await editFile(root, 'templates/golden-report.mdx', /^# Golden report$/m, '# Golden report, edited');
    await reloaded;
    await served('/golden-report/', ({body}) => body.includes('Golden report, edited</h1>'));
    await stdout.until(/Rebuilt in \d+ ms: rendered golden-report \(templates\/golden-report\.mdx changed\)/, from);
  });

  it("serves a bad edit's positioned error, prints it, keeps running, and recovers on the fix", async () => {
    const from = stderr.text.length;
    let reloaded = reloads.next();
    await editFile(
      root,
      'templates/golden-report.mdx',
      /^# Golden report, edited$/m,
      '# Golden report, edited\n\n<Chart spec={{',
    );
    await reloaded;
    const error = /<pre role="alert">templates\/golden-report\.mdx\n\d+:\d+ error .* mdx-syntax tradeoffs/;
    const broken = await served('/golden-report/', ({status, body}) => status === 500 && error.test(body));
    expect(broken.body).toContain('<script src="/__tradeoffs/live-reload.js" defer></script>');
    // The error page holds to the site's policy like every page: as a meta, and as a header.
    expect(broken.body).toMatch(
      /<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;; /,
    );
    expect(broken.headers['content-security-policy']).toMatch(/^default-src 'none'; /);
    await stderr.until(/templates\/golden-report\.mdx\n\d+:\d+ error .* mdx-syntax tradeoffs/, from);
    expect(server.exitCode).toBeNull();
    reloaded = reloads.next();
    await editFile(root, 'templates/golden-report.mdx', '\n\n<Chart spec={{', '');
    await reloaded;
    const fixed = await served('/golden-report/', ({status}) => status === 200);
    expect(fixed.body).toContain('Golden report, edited</h1>');
  });

  it('rebuilds when a data file is replaced by a rename, as editors save', async () => {
    const from = stdout.text.length;
    const reloaded = reloads.next();
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
    await reloaded;
    await stdout.until(/golden-training` changed/, from);
    await served('/golden-report/', ({body}) => body.includes('Llama 3.1 405B pre-training (renamed)'));
  });

  it('keeps serving while a template runs forever, and the fix replaces the stuck build', async () => {
    // The template tells this server when it runs, then loops: an event to wait on, no clock.
    let ran: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (ran = resolve));
    const signal = createServer((_request, response) => {
      response.end('ok');
      ran();
    });
    await new Promise<void>((resolve) => signal.listen(0, '127.0.0.1', () => resolve()));
    const {port} = signal.address() as AddressInfo;
    try {
      await editFile(
        root,
        'templates/golden-report.mdx',
        /^# Golden report, edited$/m,
        `export const told = await fetch('http://127.0.0.1:${port}/running')\n\n# Golden report, stuck\n\n{(() => { for (;;) {} })()}`,
      );
      await running;
      // The template is looping in its own process: this one still answers.
      const style = await fetchRaw(base, '/style.css');
      expect(style.status).toBe(200);
      expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
      expect((await fetchRaw(base, '/golden-report/')).status).toBe(200);
      expect(server.exitCode).toBeNull();
      // The fix does not wait for the stuck build (its limit is a minute away).
      await editFile(
        root,
        'templates/golden-report.mdx',
        /^export const told[\s\S]*?for \(;;\) \{\} \}\)\(\)\}$/m,
        '# Golden report, unstuck',
      );
      await served(
        '/golden-report/',
        ({status, body}) => status === 200 && body.includes('Golden report, unstuck</h1>'),
      );
    } finally {
      signal.close();
    }
  });

  it('stops cleanly on SIGINT', async () => {
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    server.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
