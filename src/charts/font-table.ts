import {readFileSync} from 'node:fs';
import opentype, {type Font} from 'opentype.js';
import {packageFile} from './fonts.js';

/**
 * What measuring text needs of one face, as plain data: the glyph of each
 * character the face maps (any other is its fallback glyph, 0), each such
 * glyph's advance width, and the pair kerning between them where it is not
 * zero, all in font units. Read from the font by opentype.js; precomputed
 * when the tool is bundled (scripts/bundle.mjs), so a build parses no font.
 */
export interface FaceTable {
  readonly unitsPerEm: number;
  /** Glyph index by code point (decimal string keys, as JSON has them). */
  readonly glyphs: Readonly<Record<string, number>>;
  /** Advance width by glyph index. */
  readonly advances: Readonly<Record<string, number>>;
  /** Kerning by `left,right` glyph indices, where not zero. */
  readonly kerning: Readonly<Record<string, number>>;
}

export interface FontTable {
  readonly regular: FaceTable;
  readonly semibold: FaceTable;
}

/** The WOFF versions of the faces the site serves (fonts.ts), which opentype.js can read for metrics. */
export const METRIC_FILES = {
  regular: '@fontsource/inter/files/inter-latin-400-normal.woff',
  semibold: '@fontsource/inter/files/inter-latin-600-normal.woff',
} as const;

/** Read both faces and tabulate them (about 100 ms: done once, when the tool is bundled or first measures). */
export function readFontTable(): FontTable {
  const read = (specifier: string): Font => {
    const buffer = readFileSync(packageFile(specifier));
    return opentype.parse(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer);
  };
  return {regular: faceTable(read(METRIC_FILES.regular)), semibold: faceTable(read(METRIC_FILES.semibold))};
}

/**
 * One face as a table. opentype.js's `charToGlyph` takes the glyph the
 * character map names, else glyph 0, and `getKerningValue` depends on the
 * two glyphs alone: tabulating every glyph the map names, and glyph 0, over
 * every pair of them gives the same widths as asking the font.
 */
export function faceTable(font: Font): FaceTable {
  // opentype.js types its tables loosely: the character map parsed, glyph index by code point.
  const map = (font.tables.cmap as unknown as {glyphIndexMap: Record<string, number>}).glyphIndexMap;
  const glyphs: Record<string, number> = {};
  for (const [codePoint, index] of Object.entries(map)) glyphs[codePoint] = index;
  const indices = [...new Set([0, ...Object.values(glyphs)])].sort((a, b) => a - b);
  const advances: Record<string, number> = {};
  for (const index of indices) advances[index] = font.glyphs.get(index).advanceWidth ?? 0;
  const kerning: Record<string, number> = {};
  for (const left of indices)
    for (const right of indices) {
      const value = font.getKerningValue(font.glyphs.get(left), font.glyphs.get(right));
      if (value !== 0) kerning[`${left},${right}`] = value;
    }
  return {unitsPerEm: font.unitsPerEm, glyphs, advances, kerning};
}

/** The width of `text` in font units: each character's glyph's advance, plus the kerning of each pair. */
export function unitsIn(face: FaceTable, text: string): number {
  let units = 0;
  let previous: number | undefined;
  for (const character of text) {
    const glyph = face.glyphs[character.codePointAt(0) as number] ?? 0;
    units += face.advances[glyph] ?? 0;
    if (previous !== undefined) units += face.kerning[`${previous},${glyph}`] ?? 0;
    previous = glyph;
  }
  return units;
}
