/**
 * The floor a build is measured against: the same site made by the bare
 * library calls, one after the other, in one thread of a fresh process, as a
 * short script with no tool around it would make it. It loads the project's
 * data (the estimates need it), compiles every template with `@mdx-js/mdx`
 * (production mode, the plugins the build uses), runs it with the tool's
 * scope and components (the estimates), draws every chart the build drew
 * (its `figure-*.vl.json`) with Vega-Lite and Vega's `toSVG` in the site's
 * theme and font metrics, serialises each page's content with
 * hast-util-to-html and writes it. No cache, no checks, no layout, no
 * manifest. Run as `node dist/bench.js --floor <project> <built-site> <out>`;
 * bench/scale.ts times the whole process (wall, CPU, peak RSS).
 */
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {compile, run} from '@mdx-js/mdx';
import {toHtml} from 'hast-util-to-html';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import {parse, View} from 'vega';
import {compile as compileVegaLite, type TopLevelSpec} from 'vega-lite';
import {z} from 'zod';
import {checkChartSpec} from '../src/charts/check-spec.js';
import {useFontMetrics} from '../src/charts/text-metrics.js';
import {chartTheme} from '../src/charts/theme.js';
import {loadCheckedCatalog} from '../src/check/check-catalog.js';
import {Diagnostics} from '../src/diagnostics/diagnostics.js';
import {createComponents, pageScope} from '../src/render/components/index.js';
import {createPageState} from '../src/render/components/page-state.js';
import {createHastRuntime} from '../src/render/jsx-runtime.js';
import {createTemplateScope} from '../src/render/template-scope.js';

export const FLOOR_FLAG = '--floor';

/** A spec as the site writes it: an object that passes the build's own checks (Vega-Lite checks the rest). */
const chartSpecSchema = z.custom<TopLevelSpec>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value) && checkChartSpec(value).length === 0,
  'expected a Vega-Lite spec',
);

/** Every chart spec of one report of a built site, in figure order. */
async function specsOf(site: string, slug: string): Promise<TopLevelSpec[]> {
  const folder = path.join(site, slug);
  const names = (await readdir(folder)).filter((name) => /^figure-\d+\.vl\.json$/.test(name));
  names.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
  const specs: TopLevelSpec[] = [];
  for (const name of names)
    specs.push(chartSpecSchema.parse(JSON.parse(await readFile(path.join(folder, name), 'utf8'))));
  return specs;
}

export async function runFloor(project: string, site: string, out: string): Promise<void> {
  const folder = path.join(project, 'templates');
  const names = (await readdir(folder)).filter((name) => name.endsWith('.mdx') && !name.startsWith('_')).sort();
  const diagnostics = new Diagnostics();
  const catalog = await loadCheckedCatalog(project, diagnostics);
  if (diagnostics.hasErrors) throw new Error(`the data of ${project} has errors`);
  useFontMetrics();
  const scope = createTemplateScope(catalog);
  await mkdir(out, {recursive: true});
  for (const name of names) {
    const text = await readFile(path.join(folder, name), 'utf8');
    const body = String(
      await compile(text, {
        outputFormat: 'function-body',
        remarkPlugins: [remarkFrontmatter, remarkGfm],
        elementAttributeNameCase: 'html',
        stylePropertyNameCase: 'css',
      }),
    );
    const state = createPageState();
    const scoped = pageScope(scope, state);
    // As src/render/evaluate-template.ts: the scope's names declared where MDX reads its runtime.
    const code = body.replace(
      '= arguments[0];',
      `= arguments[0]; const {${Object.keys(scoped).join(', ')}} = arguments[0].scope;`,
    );
    const module = await run(code, {...createHastRuntime(), scope: scoped, baseUrl: import.meta.url} as never);
    const content = (module.default as (props: unknown) => unknown)({components: createComponents(scoped, state)});
    const svgs: string[] = [];
    for (const spec of await specsOf(site, name.replace(/\.mdx$/, ''))) {
      const view = new View(parse(compileVegaLite(spec, {config: {...chartTheme, ...(spec.config ?? {})}}).spec), {
        renderer: 'none',
      });
      svgs.push(await view.toSVG());
      view.finalize();
    }
    const html = toHtml(content as Parameters<typeof toHtml>[0], {allowDangerousHtml: true});
    await writeFile(path.join(out, name.replace(/\.mdx$/, '.html')), `${html}${svgs.join('\n')}`);
  }
}
