#!/usr/bin/env node
// The entry of the bundled CLI (dist/cli.js). It stays small: `--version` and
// every help text are answered from the commands' option tables (plain data),
// and everything else (the commands, with MDX, Vega, zod…) is loaded with a
// dynamic import, so that Node parses only the code a command needs
// (`--version` in under 150 ms, checked by bench/startup.ts).
import {BUILD_SEMI_SPACE_MB, capYoungGeneration} from '../output/heap-trim.js';
import {commandWord} from './command-list.js';
import {quickAnswer} from './usage.js';

// A reader that stops reading (`tradeoffs calibrate | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const argv = process.argv.slice(2);
// A build's young generation kept small from the start (heap-trim.ts): before loading the pipeline grows it.
if (commandWord(argv) === 'build') capYoungGeneration(BUILD_SEMI_SPACE_MB);
const quick = quickAnswer(argv);
if (quick !== undefined) {
  process.stdout.write(`${quick}\n`);
} else {
  const {runCli} = await import('./main.js');
  // Print everything before exiting: set the exit code, let streams drain.
  process.exitCode = await runCli(argv);
}
