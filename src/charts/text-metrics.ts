import {readFileSync} from 'node:fs';
import opentype, {type Font} from 'opentype.js';
import * as vega from 'vega';
import {packageFile} from './fonts.js';
export {FONT_FAMILY, FONT_FILES, packageFile} from './fonts.js';

/** Vega exports vega-scenegraph's `textMetrics` at run time, but its typings do not declare it. */
const {textMetrics} = vega as unknown as {
  textMetrics: {width: (item: {fontSize?: number; fontWeight?: string | number}, text: unknown) => number};
};

/** The WOFF versions of the same faces, which opentype.js can read for metrics. */
const METRIC_FILES = {
  regular: '@fontsource/inter/files/inter-latin-400-normal.woff',
  semibold: '@fontsource/inter/files/inter-latin-600-normal.woff',
} as const;

let fonts: {regular: Font; semibold: Font} | undefined;

function loadFonts(): {regular: Font; semibold: Font} {
  if (!fonts) {
    const read = (specifier: string) => {
      const buffer = readFileSync(packageFile(specifier));
      return opentype.parse(
        buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer,
      );
    };
    fonts = {regular: read(METRIC_FILES.regular), semibold: read(METRIC_FILES.semibold)};
  }
  return fonts;
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
  const {regular, semibold} = loadFonts();
  const font = bold ? semibold : regular;
  if (font.unitsPerEm !== UNITS_PER_EM) throw new Error(`unexpected units per em: ${font.unitsPerEm}`);
  let units = 0;
  let previous: ReturnType<Font['charToGlyph']> | undefined;
  for (const character of text) {
    const glyph = font.charToGlyph(character);
    units += glyph.advanceWidth ?? 0;
    if (previous) units += font.getKerningValue(previous, glyph);
    previous = glyph;
  }
  return units;
}

/**
 * Make Vega measure text with the real glyph widths of the font the site
 * serves, instead of its 0.8 em per character estimate without a canvas
 * (which cuts long labels and hides axis labels). Vega 6 uses a
 * user-defined `textMetrics.width` for truncation too (vega-scenegraph
 * text.js, as vl-convert does). Idempotent.
 */
export function useFontMetrics(): void {
  textMetrics.width = (item, text) => measureText(String(text ?? '').trim(), item.fontSize ?? 11, item.fontWeight);
}
