import path from 'node:path';
import type {ReplaceOptions} from '../output/atomic-output.js';
import {folderWriter, memoryWriter, type MemoryWriter} from '../output/site-writer.js';
import {DEFAULT_OUT_DIR} from '../project.js';
import type {BuildEffects, BuildLogger} from './build-options.js';
import {diskInputs} from './input-reader.js';

/** `tradeoffs build`: the project's files on disk, the site swapped into `outDir` (default `<root>/reports`). */
export function diskEffects(
  root: string,
  outDir = path.join(root, DEFAULT_OUT_DIR),
  logger: BuildLogger = {},
  replace: ReplaceOptions = {},
): BuildEffects {
  return {reader: diskInputs(root), writer: folderWriter(outDir, root, replace), logger};
}

/** `tradeoffs check`, the dev server, tests: the project's files on disk (unless `reader` is given), the site in memory. */
export function memoryEffects(
  root: string,
  logger: BuildLogger = {},
  reader = diskInputs(root),
): BuildEffects & {readonly writer: MemoryWriter} {
  return {reader, writer: memoryWriter(), logger};
}
