import type {Root} from 'hast';
import {h} from 'hastscript';
import {describe, expect, it} from 'vitest';
import {searchDocuments} from '../../src/render/search-documents.js';

describe('searchDocuments', () => {
  it('splits a report at its h2 headings, with the text of each section and none of its charts or scripts', () => {
    const content: Root = {
      type: 'root',
      children: [
        h('p', 'The introduction.'),
        h('h2', {id: 'costs'}, ['What it costs', h('a.heading-anchor', {href: '#costs'}, '#')]),
        h('p', ['Cost is ', h('span.estimate', '$5.6M'), '.']),
        h('figure', [
          h('div.chart-svg', [{type: 'raw', value: '<svg><text>axis</text></svg>'}]),
          h('figcaption', 'A caption.'),
          h('script', {type: 'application/json'}, '{"spec": 1}'),
          h('details.chart-data', [h('summary', 'Data'), h('table', [h('tr', [h('td', '12345')])])]),
        ]),
        h('table', [h('tr', [h('td', 'one'), h('td', 'two')])]),
      ],
    };
    const documents = searchDocuments('r', 'A report', content);
    expect(documents.map(({id, title, page}) => ({id, title, page}))).toEqual([
      {id: 'r/index.html', title: 'A report', page: 'A report'},
      {id: 'r/index.html#costs', title: 'What it costs', page: 'A report'},
    ]);
    expect(documents[0]?.text).toBe('The introduction.');
    expect(documents[1]?.text).toBe('Cost is $5.6M. A caption. one two');
    expect(documents[1]?.url).toBe('r/index.html#costs');
  });

  it('cuts long excerpts at a word', () => {
    const words = Array.from({length: 80}, (_, index) => `word${index}`).join(' ');
    const [intro] = searchDocuments('r', 'R', {type: 'root', children: [h('p', words)]});
    expect(intro?.excerpt.length).toBeLessThanOrEqual(181);
    expect(intro?.excerpt.endsWith('…')).toBe(true);
    expect(intro?.text).toBe(words);
  });
});
