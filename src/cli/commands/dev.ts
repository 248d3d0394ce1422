import {Diagnostics, DiagnosticsError} from '../../diagnostics/diagnostics.js';
import {formatDiagnostics} from '../../diagnostics/report.js';
import {startDevServer} from '../../dev/dev-server.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../usage.js';

/** The port `tradeoffs dev` serves on unless told otherwise. */
export const DEFAULT_PORT = 4321;

/** `tradeoffs dev [--port N]`: serve the site on 127.0.0.1, rebuild on every change, reload open pages; stops on Ctrl-C. */
export async function devCommand(context: CommandContext): Promise<number> {
  const port = context.options.port === undefined ? DEFAULT_PORT : Number(context.options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port expects a port number from 0 to 65535, got \`${context.options.port}\``);
  const verbose = context.options.verbose === true;
  let server;
  try {
    server = await startDevServer({
      root: context.root,
      port,
      cacheDir: context.options['no-cache'] ? null : context.options.cache,
      log: context.stdout,
      logProblems: (diagnostics) => {
        const text = formatDiagnostics(diagnostics, {verbose});
        if (text) context.status(`${text}\n`);
        return text ? `${text}\n` : '';
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    const diagnostics = new Diagnostics();
    diagnostics.error(
      '<environment>',
      `Cannot listen on 127.0.0.1:${port} (${code}): ${code === 'EADDRINUSE' ? 'another program uses it' : 'not allowed'}; pick another with --port`,
      undefined,
      'io-error',
    );
    throw new DiagnosticsError(diagnostics);
  }
  context.stdout(`Serving ${server.url} (watching data/ and templates/; Ctrl-C stops)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
