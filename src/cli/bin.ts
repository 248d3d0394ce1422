import {runCli} from './main.js';

// A reader that stops reading (`tradeoffs calibrate | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// Print everything before exiting: set the exit code, let streams drain.
process.exitCode = await runCli(process.argv.slice(2));
