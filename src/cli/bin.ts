#!/usr/bin/env node
// The entry of the bundled CLI (dist/cli.js). It stays tiny: `--version` and
// `--help` are answered from two small modules, and everything else (the
// commands, with MDX, Vega, zod…) is loaded with a dynamic import, so that
// Node parses only the code a command needs (`--version` in under 150 ms, checked by bench/startup.ts).
import {USAGE} from './usage.js';
import {VERSION} from '../tool/version.js';

// A reader that stops reading (`tradeoffs calibrate | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** The answer to a command line of only `--version`, `--help`/`-h` and `--verbose` (as `runCli` would give it), or undefined. */
function quickAnswer(argv: readonly string[]): {text: string; code: number} | undefined {
  if (
    argv.length === 0 ||
    !argv.every((arg) => arg === '--version' || arg === '--help' || arg === '-h' || arg === '--verbose')
  )
    return undefined;
  if (argv.includes('--version')) return {text: VERSION, code: 0};
  if (argv.includes('--help') || argv.includes('-h')) return {text: USAGE, code: 0};
  return undefined;
}

const argv = process.argv.slice(2);
const quick = quickAnswer(argv);
if (quick) {
  process.stdout.write(`${quick.text}\n`);
  process.exitCode = quick.code;
} else {
  const {runCli} = await import('./main.js');
  // Print everything before exiting: set the exit code, let streams drain.
  process.exitCode = await runCli(argv);
}
