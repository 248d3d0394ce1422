import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseYamlSource} from '../src/data/yaml-source.js';
import {Diagnostics} from '../src/diagnostics/diagnostics.js';
import {REPO_ROOT} from './helpers/project.js';

/**
 * What fuzzing (test/fuzz.test.ts) found, one focused test each; the
 * end-to-end ones are cases of the bad-input corpus.
 */

const BASE = path.join(REPO_ROOT, 'test', 'fixtures', 'bad-inputs', '_base');
const baseModels = readFileSync(path.join(BASE, 'data', 'models.yaml'), 'utf8');

/** Every message as `line:column reason`. */
function messages(diagnostics: Diagnostics): string[] {
  return diagnostics.files.flatMap((file) =>
    file.messages.map((message) => {
      const place = message.place && 'start' in message.place ? message.place.start : message.place;
      return `${place?.line}:${place?.column} ${message.reason}`;
    }),
  );
}

describe('YAML problems found by fuzzing', () => {
  it('places errors after tokens the parser gave up on on their own lines (yaml counts no line break inside those tokens)', () => {
    const lines = baseModels.split('\n');
    lines[1] = lines[1]!.trimStart();
    const text = `${lines.join('\n')}---\n- id: other\n`;
    const diagnostics = new Diagnostics();
    expect(parseYamlSource('models.yaml', text, diagnostics)).toBeUndefined();
    expect(messages(diagnostics)).toEqual(['2:1 Unexpected scalar at node end', '11:1 Unexpected second document (after `---`), expected one document per file']);
  });

  it('reports the tokens left after the parser gave up once, not one message each', () => {
    const diagnostics = new Diagnostics();
    parseYamlSource('models.yaml', `${baseModels}\nx: ${'['.repeat(300)}`, diagnostics);
    expect(messages(diagnostics)).toEqual(['12:1 Unexpected scalar at node end']);
  });

  it('reads a deep nest of unclosed brackets in linear time, with one message for the brackets', () => {
    const text = baseModels.replace('gated: true', `gated: ${'['.repeat(400)}`);
    const diagnostics = new Diagnostics();
    const started = performance.now();
    parseYamlSource('models.yaml', text, diagnostics);
    // It read the text again for every bracket: seconds, and 400 messages.
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(messages(diagnostics)).toEqual(['8:441 Unclosed `[`: this flow list needs a `]` to end it', '8:8 Unclosed `{`: this flow mapping needs a `}` to end it']);
  });
});
