import type {Element, Root} from 'hast';
import {VFile} from 'vfile';
import {VFileMessage} from 'vfile-message';
import {renderChartSvg} from '../charts/render-svg.js';
import type {Diagnostics} from '../diagnostics/diagnostics.js';
import {compileTemplate, type CompiledTemplate} from './compile-template.js';
import type {ChartRequest} from './components/chart.js';
import {createComponents} from './components/index.js';
import {evaluateTemplate} from './evaluate-template.js';
import type {Frontmatter} from './frontmatter.js';
import {TemplateError} from './template-error.js';
import type {TemplateScope} from './template-scope.js';

/** A report rendered to its content tree, before it is laid out as a page. */
export interface RenderedReport {
  readonly slug: string;
  /** The template's path relative to the project root. */
  readonly path: string;
  readonly frontmatter: Frontmatter;
  readonly content: Root;
  /** The Vega-Lite specs of the report's charts, in order. */
  readonly chartSpecs: readonly unknown[];
  readonly chartCount: number;
}

/** A template parsed and compiled, ready to run; `undefined` parts mean it failed. */
export interface PreparedTemplate {
  readonly slug: string;
  readonly path: string;
  readonly compiled: CompiledTemplate;
  readonly frontmatter: Frontmatter;
}

/**
 * Parse and compile one template (MDX syntax and frontmatter). Problems are
 * recorded in `diagnostics` with their line and column.
 */
export async function prepareTemplate(path: string, text: string, diagnostics: Diagnostics): Promise<PreparedTemplate | undefined> {
  const file = new VFile({path, value: text});
  let compiled: CompiledTemplate;
  try {
    compiled = await compileTemplate(file);
  } catch (error) {
    if (!(error instanceof VFileMessage)) throw error;
    error.ruleId = 'mdx-syntax';
    error.source = 'tradeoffs';
    diagnostics.adopt(path, error);
    return undefined;
  }
  for (const message of file.messages) diagnostics.adopt(path, message);
  const frontmatter = file.data.frontmatter;
  if (!frontmatter) return undefined;
  return {slug: slugOf(path), path, compiled, frontmatter};
}

/**
 * Run a compiled template with the scope and components, then draw the
 * charts it asked for into their figures. Problems are recorded in
 * `diagnostics`; the result is `undefined` when the report cannot be built.
 */
export async function renderReport(
  template: PreparedTemplate,
  scope: TemplateScope,
  diagnostics: Diagnostics,
  measure: <T>(stage: 'evaluate' | 'charts', work: () => Promise<T>) => Promise<T> = (_stage, work) => work(),
): Promise<RenderedReport | undefined> {
  const charts: ChartRequest[] = [];
  let content: Root;
  try {
    content = await measure('evaluate', () =>
      evaluateTemplate(template.compiled, scope as unknown as Record<string, unknown>, createComponents(scope, charts)),
    );
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    diagnostics.error(template.path, error.message, error.place, error.ruleId, error.cause);
    return undefined;
  }
  const drawn = await measure('charts', () => drawCharts(template.path, charts, diagnostics));
  if (!drawn) return undefined;
  return {
    slug: template.slug,
    path: template.path,
    frontmatter: template.frontmatter,
    content,
    chartSpecs: charts.map((chart) => chart.spec),
    chartCount: charts.length,
  };
}

/** Draw each requested chart into its figure; false when any chart failed. */
async function drawCharts(path: string, charts: readonly ChartRequest[], diagnostics: Diagnostics): Promise<boolean> {
  let failed = false;
  for (const request of charts) {
    try {
      const {svg, warnings} = await renderChartSvg(request.spec);
      insertSvg(request.figure, svg);
      for (const warning of warnings) diagnostics.warn(path, `Chart ${request.number}: ${warning}`, request.place, 'chart-error');
    } catch (error) {
      failed = true;
      diagnostics.error(path, `Chart ${request.number}: ${(error as Error).message}`, request.place, 'chart-error', error);
    }
  }
  return !failed;
}

/** Vega's SVG is trusted output (it escapes the text it draws); it goes in as raw markup. */
function insertSvg(figure: Element, svg: string): void {
  const holder = figure.children.find((child): child is Element => child.type === 'element' && child.tagName === 'div');
  holder?.children.push({type: 'raw', value: svg});
}

/** `templates/deepseek-v3.mdx` → `deepseek-v3`. */
export function slugOf(path: string): string {
  const name = path.split('/').at(-1) ?? path;
  return name.replace(/\.mdx$/, '');
}
