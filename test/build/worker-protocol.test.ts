// Answers from the template process are checked as they cross (a template's code runs there and can post messages).
import {describe, expect, it} from 'vitest';
import {parseResponse} from '../../src/build/worker-protocol.js';

describe('worker protocol: answers checked at the boundary', () => {
  it('takes a render answer, keeping the page object that crossed (not a copy)', () => {
    const page = {content: {type: 'root', children: []}};
    const answer = {id: 3, kind: 'render', page, messages: [], used: ['hardware:h100']};
    const parsed = parseResponse(answer);
    expect(parsed).toEqual(answer);
    expect(parsed?.kind === 'render' && parsed.page).toBe(page);
  });

  it('takes a compile answer with its messages, and an error answer', () => {
    const message = {
      file: 'templates/a.mdx',
      reason: 'bad',
      place: {line: 1, column: 2},
      ruleId: 'mdx-syntax',
      fatal: true,
    };
    expect(parseResponse({id: 1, kind: 'compile', template: undefined, messages: [message]})).toEqual({
      id: 1,
      kind: 'compile',
      template: undefined,
      messages: [message],
    });
    expect(parseResponse({id: 2, kind: 'error', name: 'Error', message: 'boom', stack: undefined})).toMatchObject({
      kind: 'error',
      message: 'boom',
    });
  });

  it('refuses what is not an answer: another shape, an unknown kind or rule, a wrong field type', () => {
    for (const message of [
      undefined,
      'done',
      {id: 1},
      {id: '1', kind: 'compile', messages: []},
      {id: 1, kind: 'compile', messages: 'none'},
      {id: 1, kind: 'search-index', script: 'x'},
      {id: 1, kind: 'render', page: 'html', messages: [], used: []},
      {id: 1, kind: 'render', messages: [{file: 'a', reason: 'r', ruleId: 'made-up', fatal: true}], used: []},
      {id: 1, kind: 'model-errors', training: {sigma: 'wide'}},
      {id: 1, kind: 'shutdown'},
    ])
      expect(parseResponse(message), JSON.stringify(message)).toBeUndefined();
  });
});
