import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {loader, parse, View} from 'vega';
import {compile, type TopLevelSpec} from 'vega-lite';
import {describe, expect, it} from 'vitest';
import {dataUrls, inlineDataFiles} from '../../src/charts/data-files.js';
import {renderChartSvg} from '../../src/charts/render-svg.js';
import {chartTheme} from '../../src/charts/theme.js';

// A sample of Vega-Lite's own gallery (test/fixtures/vega-lite-gallery/NOTICE.md: BSD-3), pasted as
// published: data from files (`data.url`), params and selections, `href`, generators, topojson.
const gallery = fileURLToPath(new URL('../fixtures/vega-lite-gallery/', import.meta.url));
const names = readdirSync(path.join(gallery, 'specs')).filter((name) => name.endsWith('.vl.json'));

/** How many of each SVG element a drawing has: the measure of "draws the same" across themes. */
function elementCounts(svg: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [, tag] of svg.matchAll(/<([a-zA-Z]+)[\s>/]/g)) counts[tag as string] = (counts[tag as string] ?? 0) + 1;
  return counts;
}

/** The spec drawn by plain Vega (with the site's theme), its loader reading the gallery's data folder: the reference. */
async function plainVega(spec: TopLevelSpec): Promise<string> {
  const config = {...chartTheme, ...(spec.config ?? {})};
  const view = new View(parse(compile(spec, {config}).spec), {
    renderer: 'none',
    loader: loader({baseURL: `${gallery}/`, mode: 'file'}),
    logLevel: 0,
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

describe('the Vega-Lite gallery as pasted', () => {
  it.each(names)('%s draws what plain Vega draws', async (name) => {
    const spec = JSON.parse(readFileSync(path.join(gallery, 'specs', name), 'utf8')) as TopLevelSpec;
    const texts = new Map<string, string>();
    for (const url of dataUrls(spec)) {
      expect(url).toHaveProperty('path');
      if ('path' in url) texts.set(url.url, readFileSync(path.join(gallery, url.path), 'utf8'));
    }
    const reference = elementCounts(await plainVega(spec));
    const drawn = await renderChartSvg(inlineDataFiles(spec, texts));
    expect(elementCounts(drawn.svg)).toEqual(reference);
    // Params and selections draw without a warning: interactivity is the live copy's.
    expect(drawn.warnings.filter((warning) => /event source/.test(warning))).toEqual([]);
  });

  it('turns a mark href into a link', async () => {
    const spec = JSON.parse(readFileSync(path.join(gallery, 'specs', 'point_href.vl.json'), 'utf8')) as object;
    const texts = new Map([['data/cars.json', readFileSync(path.join(gallery, 'data', 'cars.json'), 'utf8')]]);
    const {svg} = await renderChartSvg(inlineDataFiles(spec, texts));
    expect(svg).toMatch(/<a [^>]*xlink:href="https:\/\/www\.google\.com\/search\?q=chevrolet/);
  });
});
