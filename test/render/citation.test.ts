import {describe, expect, it} from 'vitest';
import {bibtex, cslJson} from '../../src/render/citation.js';

const report = {
  slug: 'deepseek-v3-reconstructed',
  title: 'DeepSeek-V3 & friends: 100% {reconstructed}',
  summary: 'A summary.',
  authors: ['Ada Lovelace', 'Grace Hopper'],
  date: '2025-06-01',
  builtOn: '2025-06-01',
  version: '0.1.0',
  commit: 'abc123',
};

describe('citations', () => {
  it('writes a BibTeX @misc entry with escaped special characters, the date and the tool', () => {
    expect(bibtex(report)).toBe(
      [
        '@misc{tradeoffs-deepseek-v3-reconstructed,',
        '  title = {{DeepSeek-V3 \\& friends: 100\\% \\{reconstructed\\}}},',
        '  author = {Ada Lovelace and Grace Hopper},',
        '  year = {2025},',
        '  month = {6},',
        '  howpublished = {Report made with tradeoffs},',
        '  note = {Built 2025-06-01 by tradeoffs 0.1.0 from commit abc123}',
        '}',
        '',
      ].join('\n'),
    );
    expect(bibtex({...report, authors: [], commit: null, title: 'a\\b~c^d'})).toContain(
      'title = {{a\\textbackslash{}b\\textasciitilde{}c\\textasciicircum{}d}}',
    );
    expect(bibtex({...report, authors: []})).not.toContain('author');
    // Without a build date from the environment the note says no build date: the report's date is the data's.
    expect(bibtex({...report, builtOn: null, commit: null})).toContain('note = {Made by tradeoffs 0.1.0}');
  });

  it('writes CSL JSON that citeproc reads: one report item with its date parts', () => {
    const [item] = JSON.parse(cslJson(report)) as Array<Record<string, unknown>>;
    expect(item).toMatchObject({
      id: 'tradeoffs-deepseek-v3-reconstructed',
      type: 'report',
      title: report.title,
      author: [{literal: 'Ada Lovelace'}, {literal: 'Grace Hopper'}],
      issued: {'date-parts': [[2025, 6, 1]]},
      abstract: 'A summary.',
    });
  });
});
