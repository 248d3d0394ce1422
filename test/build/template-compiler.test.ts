// The compiler sends templates to compile a few ahead of the reports that take them, and hands them out in order.
import {describe, expect, it} from 'vitest';
import {memoryInputs} from '../../src/build/input-reader.js';
import {TemplateCompiler} from '../../src/build/template-compiler.js';
import type {CompileAnswer, TemplateRunner} from '../../src/build/template-runner.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';

/** A runner that answers each compile when the test says, and counts what it was sent. */
function heldRunner() {
  const sent: string[] = [];
  const answers: Array<() => void> = [];
  const runner: TemplateRunner = {
    setup: () => undefined,
    compile: (file) => {
      sent.push(file);
      return new Promise<CompileAnswer>((resolve) =>
        // No template: what is checked here is what was sent, and when.
        answers.push(() => resolve({id: sent.length, kind: 'compile', template: undefined, messages: []})),
      );
    },
    render: () => Promise.reject(new Error('not in this test')),
    modelErrors: () => Promise.reject(new Error('not in this test')),
    close: async () => undefined,
  };
  return {runner, sent, answerAll: () => answers.splice(0).forEach((answer) => answer())};
}

const names = Array.from({length: 40}, (_, index) => `report-${String(index).padStart(2, '0')}.mdx`);
const inputs = memoryInputs(new Map(names.map((name) => [`templates/${name}`, `# ${name}\n`])));
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TemplateCompiler', () => {
  it('sends 16 templates ahead of those taken, and the next asked for as each is taken', async () => {
    const {runner, sent, answerAll} = heldRunner();
    const compiler = new TemplateCompiler(inputs, 'tool', runner, false);
    for (const name of names) compiler.start(name);
    await settle();
    expect(sent).toEqual(names.slice(0, 16).map((name) => `templates/${name}`));
    answerAll();
    const diagnostics = new Diagnostics();
    await compiler.results(names.slice(0, 3), diagnostics);
    await settle();
    // Three taken: three more sent, the oldest asked for first.
    expect(sent).toHaveLength(19);
    expect(sent.at(-1)).toBe(`templates/${names[18]}`);
    // One asked for out of turn is sent at once.
    const late = compiler.results([names[39] as string], diagnostics);
    await settle();
    expect(sent.at(-1)).toBe(`templates/${names[39]}`);
    answerAll();
    await late;
    const rest = compiler.results(names.slice(3, 39), diagnostics);
    for (let round = 0; round < 10; round++) {
      await settle();
      answerAll();
    }
    await rest;
    // Each sent once, in the order asked (the one asked out of turn aside).
    expect(sent).toEqual([...names.slice(0, 19), names[39], ...names.slice(19, 39)].map((name) => `templates/${name}`));
    expect(diagnostics.hasErrors).toBe(false);
  });
});
