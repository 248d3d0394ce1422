import {runCli} from './main.js';

// Print everything before exiting: set the exit code, let streams drain.
process.exitCode = await runCli(process.argv.slice(2));
