import {appendFile} from 'node:fs/promises';
import path from 'node:path';
import {Diagnostics, DiagnosticsError} from '../../diagnostics/diagnostics.js';
import {readManifest, type SiteManifest} from '../../output/manifest.js';
import type {CommandContext} from '../context.js';
import {UsageError} from '../usage.js';
import {compareManifests, comparisonMarkdown, comparisonText} from '../../output/compare.js';

/** The default --threshold: a figure must move by more than 1% to be listed. */
export const DEFAULT_THRESHOLD_PERCENT = 1;

/** `tradeoffs compare <previous> <current>`: the figures that moved between two builds (sites or manifests). */
export async function compareCommand(context: CommandContext): Promise<number> {
  const [previousPath, currentPath = 'reports', ...extra] = context.positionals;
  if (!previousPath || extra.length > 0)
    throw new UsageError('compare expects <previous site or manifest.json> [<current site or manifest.json>]');
  const threshold = parseThreshold(context.options.threshold);
  const previous = await readPrevious(previousPath);
  const current = await readPrevious(path.resolve(context.root, currentPath));
  await printComparison(context, previous, current, threshold);
  return 0;
}

/** `--threshold` in percent → a fraction. */
export function parseThreshold(text: string | undefined): number {
  if (text === undefined) return DEFAULT_THRESHOLD_PERCENT / 100;
  const percent = Number(text.replace(/%$/, ''));
  if (text.trim() === '' || !Number.isFinite(percent) || percent < 0)
    throw new UsageError(`--threshold expects a percentage ≥ 0 (as 1 or 0.5%), got \`${text}\``);
  return percent / 100;
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
  context: CommandContext,
  previous: SiteManifest,
  current: SiteManifest,
  threshold: number,
): Promise<void> {
  const comparison = compareManifests(previous, current, threshold);
  context.stdout(comparisonText(comparison));
  if (context.options.markdown)
    await appendFile(path.resolve(context.options.markdown), comparisonMarkdown(comparison));
}
