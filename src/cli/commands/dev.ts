import {Diagnostics, DiagnosticsError} from '../../diagnostics/diagnostics.js';
import {formatDiagnostics} from '../../diagnostics/report.js';
import {startDevServer} from '../../dev/dev-server.js';
import type {CommandContext} from '../context.js';
import type {OptionsOf} from '../options.js';
import type {devCommandSpec} from './dev-options.js';

/** `tradeoffs dev [--port N]`: serve the site on 127.0.0.1, rebuild on every change, reload open pages; stops on Ctrl-C. */
export async function devCommand(context: CommandContext<OptionsOf<typeof devCommandSpec>>): Promise<number> {
  const {port} = context.options;
  const {verbose} = context;
  let server;
  try {
    server = await startDevServer({
      root: context.root,
      port,
      cacheDir: context.options['no-cache'] ? null : context.options.cache,
      templateTimeoutMs: context.options['template-timeout'] * 1000,
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
