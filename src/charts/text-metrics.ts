import * as vega from 'vega';
import {readFontTable, unitsIn, type FontTable} from './font-table.js';
export {FONT_FAMILY, FONT_FILES, packageFile} from './fonts.js';

/** A text item as Vega's text metrics see it. */
interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  /** Longest width in pixels, beyond which Vega cuts the text with an ellipsis. */
  limit?: number;
  ellipsis?: string;
  dir?: string;
}

/** Vega exports vega-scenegraph's `textMetrics` and `Marks` at run time, but its typings do not declare them. */
const {textMetrics, Marks} = vega as unknown as {
  textMetrics: {width: (item: TextItem, text: unknown) => number};
  Marks: {text: {bound: (bounds: unknown, item: TextItem, mode?: unknown) => unknown}};
};

/** The font table compiled in when the tool is bundled (scripts/bundle.mjs); undefined when run from source. */
declare const __FONT_TABLE__: FontTable | undefined;

let table: FontTable | undefined;

/** The faces' metrics: precomputed when bundled, else read from the fonts once (font-table.ts). */
function fontTable(): FontTable {
  table ??= typeof __FONT_TABLE__ === 'object' ? __FONT_TABLE__ : readFontTable();
  return table;
}

/**
 * Width in pixels of `text` set in Inter at `fontSize`: the glyphs' advance
 * widths plus pair kerning (no ligatures, which Inter does not use in
 * labels); semibold from weight 600 up. Characters the font lacks take the
 * advance of its fallback glyph.
 */
export function measureText(text: string, fontSize: number, fontWeight: string | number | undefined): number {
  const weight =
    typeof fontWeight === 'number' ? fontWeight : fontWeight === 'bold' ? 700 : Number(fontWeight ?? 400) || 400;
  const key = `${weight >= 600 ? 'b' : 'r'}${text}`;
  let units = widthCache.get(key);
  if (units === undefined) {
    units = unitsOf(text, weight >= 600);
    widthCache.set(key, units);
  }
  return (units * fontSize) / UNITS_PER_EM;
}

/** Advance widths in font units by text and weight: labels repeat across charts and layout passes. */
const widthCache = new Map<string, number>();
/** Inter's design grid; both faces share it. */
const UNITS_PER_EM = 2048;

function unitsOf(text: string, bold: boolean): number {
  const {regular, semibold} = fontTable();
  const face = bold ? semibold : regular;
  if (face.unitsPerEm !== UNITS_PER_EM) throw new Error(`unexpected units per em: ${face.unitsPerEm}`);
  return unitsIn(face, text);
}

/**
 * Make Vega measure text with the real glyph widths of the font the site
 * serves, instead of its 0.8 em per character estimate without a canvas
 * (which cuts long labels and hides axis labels). Vega 6 uses a
 * user-defined `textMetrics.width` for truncation too (vega-scenegraph
 * text.js, as vl-convert does). Idempotent.
 */
export function useFontMetrics(): void {
  if (boundsPatched) return;
  boundsPatched = true;
  // Vega calls a user-defined `textMetrics.width` for two things: to cut a text to its `limit`
  // (vega-scenegraph text.js `truncate`, which needs the width of the whole text) and to size its
  // bounds (`Marks.text.bound`, which needs the width of the text as drawn, cut). Its own canvas
  // and estimate metrics tell the two apart; a user-defined one cannot, so a cut label's bounds
  // took the width of the whole label and pushed the plot aside. Bounds are measured cut here.
  const bound = Marks.text.bound;
  Marks.text.bound = (bounds, item, mode) => {
    bounding += 1;
    try {
      return bound(bounds, item, mode);
    } finally {
      bounding -= 1;
    }
  };
  textMetrics.width = (item, text) => {
    const value = String(text ?? '').trim();
    const size = item.fontSize ?? 11;
    return measureText(bounding > 0 ? cutToLimit(item, value) : value, size, item.fontWeight);
  };
}

let boundsPatched = false;
/** Inside Vega's bounds of a text mark (nested calls counted). */
let bounding = 0;

/**
 * A text as Vega draws it within its item's `limit`: whole when it fits, else
 * cut with an ellipsis, by the binary search of vega-scenegraph's `truncate`
 * (text.js; BSD-3-Clause), over the same widths.
 */
function cutToLimit(item: TextItem, text: string): string {
  const limit = Number(item.limit);
  if (!(limit > 0) || text.length === 0) return text;
  const width = (value: string) => measureText(value, item.fontSize ?? 11, item.fontWeight);
  if (width(text) < limit) return text;
  const ellipsis = item.ellipsis || '\u2026';
  const room = limit - width(ellipsis);
  let lo = 0;
  let hi = text.length;
  if (item.dir === 'rtl') {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (width(text.slice(mid)) > room) lo = mid + 1;
      else hi = mid;
    }
    return ellipsis + text.slice(lo);
  }
  while (lo < hi) {
    const mid = 1 + ((lo + hi) >>> 1);
    if (width(text.slice(0, mid)) < room) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo) + ellipsis;
}
