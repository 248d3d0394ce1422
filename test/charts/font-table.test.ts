import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import opentype, {type Font} from 'opentype.js';
import {describe, expect, it} from 'vitest';
import {faceTable, METRIC_FILES, unitsIn} from '../../src/charts/font-table.js';
import {packageFile} from '../../src/charts/fonts.js';

function readFont(specifier: string): Font {
  const buffer = readFileSync(packageFile(specifier));
  return opentype.parse(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer);
}

/** The width as opentype.js gives it, glyph by glyph: what the table stands in for. */
function unitsFromFont(font: Font, text: string): number {
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

describe('the font table (precomputed at bundle time)', () => {
  const faces = Object.values(METRIC_FILES).map((specifier) => {
    const font = readFont(specifier);
    return {font, table: faceTable(font)};
  });
  const samples = [
    '',
    'AV To Ty Wa',
    'H100 SXM · 16,384 GPUs',
    'Model FLOPs utilisation (%)',
    '2.6M GPU-h — €1.2M',
    'naïve café ÆØÅ',
    'emoji 😀 and 中文 the font lacks',
  ];

  it('measures as the font does, kerning and missing characters included', () => {
    for (const {font, table} of faces) {
      expect(table.unitsPerEm).toBe(font.unitsPerEm);
      for (const text of samples) expect(unitsIn(table, text), text).toBe(unitsFromFont(font, text));
      // Kerning is in the table: some pair of these moves.
      expect(Object.keys(table.kerning).length).toBeGreaterThan(0);
    }
  });

  it('measures any text as the font does (property)', () => {
    const characters = fc.constantFrom(...'AVTWYafoy.,-–—·0123456789 %€éü😀中'.split(/(?:)/u));
    for (const {font, table} of faces)
      fc.assert(
        fc.property(fc.array(characters, {maxLength: 24}), (list) => {
          const text = list.join('');
          expect(unitsIn(table, text)).toBe(unitsFromFont(font, text));
        }),
        {numRuns: 200},
      );
  });

  it('survives JSON, as the bundle compiles it in', () => {
    const {table} = faces[0]!;
    expect(unitsIn(JSON.parse(JSON.stringify(table)), 'AV To 100%')).toBe(unitsIn(table, 'AV To 100%'));
  });
});
