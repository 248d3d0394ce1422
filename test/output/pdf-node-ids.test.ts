import {describe, expect, it} from 'vitest';
import {renumberNodeIds} from '../../src/output/pdf.js';

const node = (id: number) => `(node${String(id).padStart(8, '0')})`;

/** The parts of a tagged PDF that name structure elements by the printing browser's DOM node ids. */
const tagged = (ids: readonly [number, number]) =>
  `1 0 obj\n<< /Type /StructElem /S /TH /ID ${node(ids[0])} >>\nendobj\n` +
  `3 0 obj\n<< /Type /StructElem /S /TH /ID ${node(ids[1])} >>\nendobj\n` +
  `4 0 obj\n<< /Type /StructElem /S /TD /A << /Headers [${node(ids[0])}] >> >>\nendobj\n` +
  `5 0 obj\n<</Limits [${node(Math.min(...ids))} ${node(Math.max(...ids))}]\n` +
  `/Names [${[...ids]
    .sort((a, b) => a - b)
    .map((id) => `${node(id)} ${id === ids[0] ? 1 : 3} 0 R`)
    .join(' ')}]>>\nendobj\n`;

describe('renumberNodeIds', () => {
  it('gives the same bytes for the same page whatever ids the browser gave it, in whatever order', () => {
    const early = renumberNodeIds(Buffer.from(tagged([79304, 79311]), 'latin1'));
    const late = renumberNodeIds(Buffer.from(tagged([81558, 81555]), 'latin1'));
    expect(late.toString('latin1')).toBe(early.toString('latin1'));
    expect(early.length).toBe(tagged([79304, 79311]).length);
  });

  it('numbers in the order the elements are written, and sorts the ID tree by the new keys', () => {
    const text = renumberNodeIds(Buffer.from(tagged([81558, 81555]), 'latin1')).toString('latin1');
    expect(text).toContain('/S /TH /ID (node00000001)');
    expect(text).toContain('/Headers [(node00000001)]');
    expect(text).toContain('/Limits [(node00000001) (node00000002)]');
    expect(text).toContain('/Names [(node00000001) 1 0 R (node00000002) 3 0 R]');
  });

  it('leaves a PDF without node ids as it is', () => {
    const plain = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Title (A node) >>\nendobj\n', 'latin1');
    expect(renumberNodeIds(plain).equals(plain)).toBe(true);
  });
});
