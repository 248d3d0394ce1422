import {buildCommandSpec, pdfCommandSpec} from './commands/build-options.js';
import {calibrateCommandSpec} from './commands/calibrate-options.js';
import {checkCommandSpec} from './commands/check-options.js';
import {compareCommandSpec} from './commands/compare-options.js';
import {devCommandSpec} from './commands/dev-options.js';
import {estimateCommandSpec} from './commands/estimate-options.js';
import {mergeCommandSpec} from './commands/merge-options.js';
import {newCommandSpec} from './commands/new-options.js';
import {schemaCommandSpec} from './commands/schema-options.js';
import type {CommandSpec} from './options.js';

/** Every command's table, in the order `tradeoffs --help` lists them. */
export const COMMAND_SPECS = [
  buildCommandSpec,
  pdfCommandSpec,
  devCommandSpec,
  mergeCommandSpec,
  compareCommandSpec,
  checkCommandSpec,
  estimateCommandSpec,
  calibrateCommandSpec,
  newCommandSpec,
  schemaCommandSpec,
] as const satisfies readonly CommandSpec[];

export type KnownCommand = (typeof COMMAND_SPECS)[number];
export type CommandName = KnownCommand['name'];

/** The table of the command called `name`, if there is one. */
export function commandSpec(name: string): KnownCommand | undefined {
  return COMMAND_SPECS.find((spec) => spec.name === name);
}
