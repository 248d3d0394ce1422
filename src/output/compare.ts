import type {ReportNumber} from '../render/components/page-state.js';
import {tableNumbers} from '../render/printed-numbers.js';
import type {SiteManifest} from './manifest.js';
import {compareText} from '../tool/compare.js';

/** A number that moved between two builds. */
export interface MovedNumber {
  readonly slug: string;
  readonly title: string;
  readonly id: string;
  readonly label: string;
  readonly before: ReportNumber;
  readonly after: ReportNumber;
  /** (after − before) / |before|; Infinity from zero or from no value. */
  readonly change: number;
}

export interface ManifestComparison {
  readonly threshold: number;
  readonly moved: readonly MovedNumber[];
  /** How many numbers both builds print. */
  readonly compared: number;
  readonly addedReports: readonly string[];
  readonly removedReports: readonly string[];
}

/**
 * The numbers two builds both print that moved by more than `threshold`
 * (a fraction: 0.01 is 1%), largest moves first, and the reports one build
 * has and the other lacks. Numbers are matched by report and id: estimates by
 * `scenario.output@point`, table cells (charts' data too) by where they are
 * (printed-numbers.ts).
 */
export function compareManifests(
  previous: Pick<SiteManifest, 'reports'>,
  current: Pick<SiteManifest, 'reports'>,
  threshold: number,
): ManifestComparison {
  const before = new Map(previous.reports.map((report) => [report.slug, report]));
  const moved: MovedNumber[] = [];
  let compared = 0;
  for (const report of current.reports) {
    const old = before.get(report.slug);
    if (!old) continue;
    const oldNumbers = new Map(
      [...old.numbers, ...tableNumbers(old.tables ?? [])].map((number) => [number.id, number]),
    );
    for (const after of [...report.numbers, ...tableNumbers(report.tables ?? [])]) {
      const was = oldNumbers.get(after.id);
      if (!was) continue;
      compared++;
      // A number whose unit changed (MWh to GWh) moved by more than its digits say.
      const change = was.unit === after.unit ? relativeChange(was.value, after.value) : Infinity;
      if (Math.abs(change) > threshold)
        moved.push({
          slug: report.slug,
          title: report.title,
          id: after.id,
          label: after.label,
          before: was,
          after,
          change,
        });
    }
  }
  moved.sort(
    (a, b) => Math.abs(b.change) - Math.abs(a.change) || compareText(a.slug, b.slug) || compareText(a.id, b.id),
  );
  const slugs = new Set(current.reports.map((report) => report.slug));
  return {
    threshold,
    moved,
    compared,
    addedReports: current.reports.filter((report) => !before.has(report.slug)).map((report) => report.title),
    removedReports: previous.reports.filter((report) => !slugs.has(report.slug)).map((report) => report.title),
  };
}

function relativeChange(before: number | null, after: number | null): number {
  if (before === after) return 0;
  if (before === null || after === null || before === 0) return Infinity;
  return (after - before) / Math.abs(before);
}

export function percent(change: number): string {
  if (!Number.isFinite(change)) return 'new value';
  const rounded = Math.abs(change) >= 0.1 ? (change * 100).toFixed(0) : (change * 100).toFixed(1);
  return `${change > 0 ? '+' : ''}${rounded}%`;
}

export function thresholdText(threshold: number): string {
  return `${+(threshold * 100).toPrecision(3)}%`;
}

/** The comparison as plain text for a terminal or a CI log. */
export function comparisonText(comparison: ManifestComparison): string {
  const lines: string[] = [];
  const {moved, threshold} = comparison;
  if (moved.length === 0)
    lines.push(`No figure moved by more than ${thresholdText(threshold)} (${comparison.compared} compared).`);
  else
    lines.push(`${moved.length} of ${comparison.compared} figure(s) moved by more than ${thresholdText(threshold)}:`);
  for (const number of moved) {
    lines.push(
      `  ${number.title}: ${number.label} ${number.before.text} → ${number.after.text} (${percent(number.change)})  [${number.id}]`,
    );
  }
  for (const title of comparison.addedReports) lines.push(`New report: ${title}`);
  for (const title of comparison.removedReports) lines.push(`Removed report: ${title}`);
  return `${lines.join('\n')}\n`;
}

/** The comparison as Markdown, for a CI job summary. */
export function comparisonMarkdown(comparison: ManifestComparison): string {
  const cell = (text: string) =>
    text
      .replace(/\\/g, '\\\\')
      .replace(/\|/g, '\\|')
      .replace(/[\r\n]+/g, ' ')
      .replace(/</g, '&lt;');
  const {moved, threshold} = comparison;
  const lines = ['### What changed in the reports', ''];
  if (moved.length === 0) {
    lines.push(`No figure moved by more than ${thresholdText(threshold)} (${comparison.compared} compared).`);
  } else {
    lines.push(
      `${moved.length} of ${comparison.compared} figure(s) moved by more than ${thresholdText(threshold)}:`,
      '',
    );
    lines.push('| Report | Figure | Before | After | Change |', '| --- | --- | --- | --- | ---: |');
    for (const number of moved) {
      lines.push(
        `| ${cell(number.title)} | ${cell(number.label)} <br><sub>\`${cell(number.id)}\`</sub> | ${cell(number.before.text)} | ${cell(number.after.text)} | ${percent(number.change)} |`,
      );
    }
  }
  if (comparison.addedReports.length > 0 || comparison.removedReports.length > 0) lines.push('');
  for (const title of comparison.addedReports) lines.push(`- New report: ${cell(title)}`);
  for (const title of comparison.removedReports) lines.push(`- Removed report: ${cell(title)}`);
  return `${lines.join('\n')}\n`;
}
