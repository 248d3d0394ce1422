import {createReadStream} from 'node:fs';
import {realpath, stat} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {contentTypeOf} from '../../src/output/content-types.js';

export interface StaticServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  origin: string;
  /** Every request the server answered, in order, with its status. */
  requests: {method: string; url: string; status: number}[];
  close: () => Promise<void>;
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Serve the files below `root` on 127.0.0.1 (a free port): GET and HEAD only,
 * `/` and folders answer with their index.html (a folder without its trailing
 * slash is redirected there first), paths that leave `root`
 * (after decoding and following symbolic links) get 403, anything else missing 404.
 */
export async function serveStatic(root: string): Promise<StaticServer> {
  const realRoot = await realpath(root);
  const requests: StaticServer['requests'] = [];

  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: string): void => {
      requests.push({method: request.method ?? '', url: request.url ?? '', status});
      response.writeHead(status, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    void (async () => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'method not allowed\n');
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
      } catch {
        return answer(400, 'bad request\n');
      }
      if (pathname.includes('\0')) return answer(400, 'bad request\n');
      let file = path.resolve(realRoot, '.' + pathname);
      if (!isInside(realRoot, file)) return answer(403, 'forbidden\n');
      try {
        let info = await stat(file);
        if (info.isDirectory()) {
          if (!pathname.endsWith('/')) {
            // As static hosts do: relative links inside resolve against the folder.
            const location = `${new URL(request.url ?? '/', 'http://127.0.0.1').pathname}/`;
            requests.push({method: request.method, url: request.url ?? '', status: 301});
            response.writeHead(301, {location, 'content-length': 0});
            return response.end();
          }
          file = path.join(file, 'index.html');
          info = await stat(file);
        }
        // A symbolic link may point outside the root.
        const real = await realpath(file);
        if (!isInside(realRoot, real)) return answer(403, 'forbidden\n');
        if (!info.isFile()) return answer(404, 'not found\n');
        const type = contentTypeOf(path.extname(real));
        requests.push({method: request.method, url: request.url ?? '', status: 200});
        response.writeHead(200, {'content-type': type, 'content-length': info.size, 'cache-control': 'no-store'});
        if (request.method === 'HEAD') return response.end();
        createReadStream(real)
          .on('error', () => response.destroy())
          .pipe(response);
      } catch {
        answer(404, 'not found\n');
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const {port} = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
