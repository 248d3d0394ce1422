import {appendFile} from 'node:fs/promises';
import path from 'node:path';
import {Diagnostics, DiagnosticsError} from '../../diagnostics/diagnostics.js';
import {readManifest, type SiteManifest} from '../../output/manifest.js';
import type {CommandContext} from '../context.js';
import type {OptionsOf} from '../options.js';
import {UsageError} from '../usage.js';
import {compareManifests, comparisonMarkdown, comparisonText} from '../../output/compare.js';
import type {compareCommandSpec} from './compare-options.js';

/** `tradeoffs compare <previous> <current>`: the figures that moved between two builds (sites or manifests). */
export async function compareCommand(context: CommandContext<OptionsOf<typeof compareCommandSpec>>): Promise<number> {
  const [previousPath, currentPath = 'reports'] = context.positionals;
  if (!previousPath) throw new UsageError('compare needs a previous site or its manifest.json');
  const previous = await readPrevious(previousPath);
  const current = await readPrevious(path.resolve(context.root, currentPath));
  await printComparison(context, previous, current, context.options.threshold);
  return 0;
}

/** A manifest from a site folder or a manifest file; a positioned error when there is none or it is not one. */
export async function readPrevious(location: string): Promise<SiteManifest> {
  const diagnostics = new Diagnostics();
  const manifest = await readManifest(path.resolve(location), diagnostics);
  if (manifest) return manifest;
  if (!diagnostics.hasErrors)
    diagnostics.error(
      location,
      'No site manifest here: expected a site built by tradeoffs (with manifest.json) or a manifest.json file',
      undefined,
      'io-error',
    );
  throw new DiagnosticsError(diagnostics);
}

/** Print what moved since `previous`, and append it as Markdown to --markdown's file (a CI job summary). */
export async function printComparison(
  context: CommandContext<{readonly markdown: string | undefined}>,
  previous: SiteManifest,
  current: SiteManifest,
  threshold: number,
): Promise<void> {
  const comparison = compareManifests(previous, current, threshold);
  context.stdout(comparisonText(comparison));
  if (context.options.markdown)
    await appendFile(path.resolve(context.options.markdown), comparisonMarkdown(comparison));
}
