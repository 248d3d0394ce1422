import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {h} from 'hastscript';
import {toHtml} from 'hast-util-to-html';
import {DiagnosticsError, type Diagnostics} from '../diagnostics/diagnostics.js';
import {memoryEffects} from '../build/build-effects.js';
import {buildSite} from '../build/build-site.js';
import type {BuildEvent} from '../build/build-options.js';
import {contentTypeOf} from '../output/content-types.js';
import {TEMPLATES_DIR} from '../project.js';
import {CONTENT_SECURITY_POLICY} from '../render/page-layout.js';
import {readLiveReloadScript, toolRoot} from '../tool/assets.js';
import {watchFolders} from './watch-inputs.js';

/** Where the dev server's own endpoints live, outside any report's address. */
const ENDPOINTS = {events: '/__tradeoffs/events', script: '/__tradeoffs/live-reload.js'} as const;

export interface DevServerOptions {
  readonly root: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** As for builds: the cache folder, or `null` for none. */
  readonly cacheDir?: string | null;
  /** As for builds: how long a template may run (milliseconds). */
  readonly templateTimeoutMs?: number;
  /** A line of news (a rebuild and why). */
  readonly log: (text: string) => void;
  /** A failed build's problems, in the one diagnostics format. */
  readonly logProblems: (diagnostics: Diagnostics) => string;
}

export interface DevServer {
  readonly url: string;
  /** Rebuild now (the watcher calls this); resolves when the site served is current. */
  rebuild(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `tradeoffs dev`: build the site in memory, serve it on 127.0.0.1 only,
 * watch `data/`, `templates/` and the tool's stylesheet, rebuild what changed
 * (the build's cache makes that one report, not seven) and tell open pages
 * to reload. A bad edit serves its positioned error instead of every page,
 * and prints it; the server keeps running and the next good edit recovers.
 * Files are served from the built map, never from disk by URL, so no path
 * can reach outside the site.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const liveReload = await readLiveReloadScript();
  let files: ReadonlyMap<string, string | Uint8Array> = new Map();
  let failure: string | undefined;
  const clients = new Set<ServerResponse>();
  let running: Promise<void> | undefined;
  let again = false;
  // Stops the build under way: a new edit (or close) need not wait for it, even for a template that never ends.
  let stop: AbortController | undefined;

  const buildOnce = async (controller: AbortController): Promise<void> => {
    const start = performance.now();
    let plan = '';
    try {
      const effects = memoryEffects(options.root, {
        onEvent: (event: BuildEvent) => {
          if (event.type === 'plan')
            plan =
              event.render.length === 0
                ? 'nothing to render'
                : `rendered ${event.render.map(({slug, reason}) => `${slug} (${reason})`).join(', ')}`;
        },
      });
      const result = await buildSite(
        {
          root: options.root,
          cacheDir: options.cacheDir,
          templateTimeoutMs: options.templateTimeoutMs,
          signal: controller.signal,
        },
        effects,
      );
      files = effects.writer.files;
      failure = undefined;
      const warnings = options.logProblems(result.diagnostics);
      options.log(`Rebuilt in ${Math.round(performance.now() - start)} ms: ${plan}\n${warnings}`);
    } catch (error) {
      // Stopped for a newer edit: that build says how it went.
      if (controller.signal.aborted) return;
      failure =
        error instanceof DiagnosticsError
          ? options.logProblems(error.diagnostics)
          : `tradeoffs: ${(error as Error).stack ?? String(error)}\n`;
      options.log(
        `Build failed after ${Math.round(performance.now() - start)} ms; serving the error until the next good edit\n`,
      );
    }
    for (const client of clients) client.write(`event: reload\ndata: ${Date.now()}\n\n`);
  };

  const rebuild = (): Promise<void> => {
    if (running) {
      again = true;
      stop?.abort();
      return running;
    }
    running = (async () => {
      do {
        again = false;
        stop = new AbortController();
        await buildOnce(stop);
      } while (again);
    })().finally(() => {
      running = undefined;
      stop = undefined;
    });
    return running;
  };

  const server = createServer((request, response) => {
    try {
      serve(request, response);
    } catch (error) {
      response.writeHead(500, {'content-type': 'text/plain; charset=utf-8'}).end(String(error));
    }
  });

  const serve = (request: IncomingMessage, response: ServerResponse): void => {
    // DNS rebinding: a page of another site whose name resolves to 127.0.0.1 would send its own Host.
    if (!isLoopbackHost(request.headers.host))
      return plain(response, 421, 'Misdirected request: the dev server answers only to 127.0.0.1 and localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(response, 405, 'Method not allowed');
    const pathname = (request.url ?? '/').split('?')[0] ?? '/';
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return plain(response, 400, 'Bad request: malformed address');
    }
    // The site is served from memory, but say so plainly rather than normalise a path that tries to climb out.
    if (!decoded.startsWith('/') || decoded.split('/').some((segment) => segment === '..') || /[\0\\]/.test(decoded)) {
      return plain(response, 403, 'Forbidden: the address leaves the site');
    }
    if (decoded === ENDPOINTS.events) {
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write(': connected\n\n');
      clients.add(response);
      request.on('close', () => clients.delete(response));
      return;
    }
    if (decoded === ENDPOINTS.script) return send(response, 200, '.js', liveReload);
    let key = decoded.slice(1);
    if (key === '' || key.endsWith('/')) key += 'index.html';
    const extension = path.extname(key);
    if (failure !== undefined && extension === '.html')
      return send(response, 500, '.html', withReload(errorPage(failure)));
    const body = files.get(key);
    if (body === undefined) {
      if (files.has(`${key}/index.html`)) {
        response.writeHead(301, {location: `${pathname}/`}).end();
        return;
      }
      return plain(response, 404, `Not found: ${decoded}`);
    }
    send(response, 200, extension, extension === '.html' ? withReload(String(body)) : body);
  };

  const send = (response: ServerResponse, status: number, extension: string, body: string | Uint8Array) => {
    response.writeHead(status, {
      'content-type': contentTypeOf(extension),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // The pages' own policy, on every response (the error page's too), and no framing, which a meta cannot forbid.
      'content-security-policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
    });
    response.end(body);
  };
  const plain = (response: ServerResponse, status: number, text: string) => send(response, status, '.txt', `${text}\n`);

  await rebuild();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: a preview of unpublished reports is nobody else's business.
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const watcher = watchFolders(
    [path.join(options.root, 'data'), path.join(options.root, TEMPLATES_DIR), path.join(toolRoot(), 'assets')],
    (paths) => {
      options.log(`Changed: ${paths.map((file) => path.relative(options.root, file)).join(', ')}\n`);
      void rebuild();
    },
  );
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    rebuild,
    close: async () => {
      watcher.close();
      for (const client of clients) client.end();
      again = false;
      stop?.abort();
      await running;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Whether a request's Host header names this server as the browser reached
 * it: `127.0.0.1` or `localhost`, with any port. Anything else (another
 * name that resolves here, none at all) is refused, which stops DNS
 * rebinding: a foreign page cannot read the preview through its own name.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  return match !== null && (match[1] === '127.0.0.1' || match[1] === 'localhost');
}

/** Add the reload client to a page, last in its head. */
function withReload(html: string): string {
  const tag = `<script src="${ENDPOINTS.script}" defer></script>`;
  return html.includes('</head>') ? html.replace('</head>', `${tag}</head>`) : `${tag}${html}`;
}

/** The page served for every address while the last build failed: its problems, as the terminal shows them. */
function errorPage(problems: string): string {
  const tree = h(null, [
    {type: 'doctype'},
    h('html', {lang: 'en'}, [
      h('head', [
        h('meta', {charset: 'utf-8'}),
        h('meta', {httpEquiv: 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY}),
        h('title', 'Build failed · tradeoffs'),
        h('link', {rel: 'stylesheet', href: '/style.css'}),
      ]),
      h('body', [
        h('main.build-error', [
          h('h1', 'The build failed'),
          h('p', 'Fix the problems below and save: the page reloads when the build succeeds.'),
          h('pre', {role: 'alert'}, problems),
        ]),
      ]),
    ]),
  ]);
  return `${toHtml(tree)}\n`;
}
