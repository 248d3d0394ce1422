import {describe, expect, it} from 'vitest';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';

describe('Diagnostics', () => {
  it('reports a problem met twice at the same place once (a field several records inherit)', () => {
    const diagnostics = new Diagnostics();
    const place = {start: {line: 3, column: 10}, end: {line: 3, column: 21}};
    const first = diagnostics.error('data/scenarios/base.yaml', 'Unknown model `deepseek-v4`', place, 'unknown-id');
    const again = diagnostics.error('data/scenarios/base.yaml', 'Unknown model `deepseek-v4`', place, 'unknown-id');
    expect(again).toBe(first);
    expect(diagnostics.errorCount).toBe(1);
  });

  it('keeps problems that differ in place, text, rule, file or severity', () => {
    const diagnostics = new Diagnostics();
    const at = (line: number) => ({line, column: 1});
    diagnostics.error('a.yaml', 'Unknown model `x`', at(1), 'unknown-id');
    diagnostics.error('a.yaml', 'Unknown model `x`', at(2), 'unknown-id');
    diagnostics.error('a.yaml', 'Unknown model `y`', at(1), 'unknown-id');
    diagnostics.error('a.yaml', 'Unknown model `x`', at(1), 'schema');
    diagnostics.error('b.yaml', 'Unknown model `x`', at(1), 'unknown-id');
    diagnostics.warn('a.yaml', 'Unknown model `x`', at(1), 'unknown-id');
    expect(diagnostics.errorCount).toBe(5);
    expect(diagnostics.warningCount).toBe(1);
  });
});
