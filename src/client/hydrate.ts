/**
 * The site's one script, loaded only by pages with interactive charts. For
 * each figure marked `data-interactive`, it renders a live copy of the chart
 * from its embedded Vega-Lite spec (vega-embed, bundled: nothing comes from a
 * CDN) and swaps it in only once it has rendered, so with JavaScript off, in
 * print and in PDFs the static SVG stands. Expressions run through Vega's
 * interpreter, not `new Function`, and nothing adds a <style> element, so the
 * site's strict Content-Security-Policy (src/render/page-layout.ts) holds.
 */
import embed from 'vega-embed';
import {expressionInterpreter} from 'vega-interpreter';

/** Screens that show a chart's narrow variant: the breakpoint of `.chart-narrow` in assets/style.css. */
const NARROW_SCREEN = '(max-width: 40rem)';

async function hydrate(figure: HTMLElement): Promise<void> {
  const holder = figure.querySelector<HTMLElement>('.chart-svg');
  // On a phone, the narrow variant (as the stylesheet shows the static one: same breakpoint).
  const narrow = matchMedia(NARROW_SCREEN).matches
    ? figure.querySelector<HTMLScriptElement>('script.chart-spec-narrow')
    : null;
  const source = narrow ?? figure.querySelector<HTMLScriptElement>('script.chart-spec');
  if (!holder || !source?.textContent) return;
  // The build's own spec, embedded in this page. Not checked here (a check would weigh on every page
  // that loads this script): vega-embed rejects a bad one, and the static chart then stays.
  const spec: Parameters<typeof embed>[1] = JSON.parse(source.textContent);
  const live = document.createElement('div');
  live.className = 'chart-live';
  try {
    // No <style> elements: the site's Content-Security-Policy allows its stylesheet only, which
    // carries what vega-embed's and vega-tooltip's default styles would add (defaultStyle,
    // disableDefaultStyle). Tooltip text is escaped by vega-tooltip (sanitize: escapeHTML).
    await embed(live, spec, {
      renderer: 'svg',
      actions: false,
      defaultStyle: false,
      ast: true,
      expr: expressionInterpreter as never,
      tooltip: {theme: 'custom', disableDefaultStyle: true},
    });
  } catch (error) {
    console.warn('tradeoffs: keeping the static chart', error);
    return;
  }
  // As the static chart: the figure names and describes it, so its marks stay out of the accessibility tree.
  live.querySelector('svg')?.setAttribute('aria-hidden', 'true');
  // Sliders are controls: they go beside the chart, not inside its role="img" box.
  const bindings = live.querySelector('.vega-bindings');
  holder.replaceChildren(live);
  if (bindings) holder.after(bindings);
  figure.dataset.hydrated = 'true';
}

for (const figure of document.querySelectorAll<HTMLElement>('figure[data-interactive]')) void hydrate(figure);
