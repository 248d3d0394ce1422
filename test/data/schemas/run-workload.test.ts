import {describe, expect, it} from 'vitest';
import {referenceRunSchema} from '../../../src/data/schemas/reference.js';
import {trainingScenarioSchema} from '../../../src/data/schemas/scenario.js';
import {STATED_SCENARIO_WITHOUT_WORKLOAD} from '../../helpers/training-fixtures.js';
import {checkWorkloadOrStages} from '../../../src/data/schemas/run-workload.js';

/**
 * `workload` or `stages`, exactly one: one check (src/data/schemas/run-workload.ts) for scenarios and
 * reference runs alike, so the two schemas give one message. (Through the CLI, with positions: the
 * bad-input corpus's reference-workload-and-stages and reference-without-workload.)
 */

/** The messages the shared check gives a run. */
function sharedMessages(run: {workload?: unknown; stages?: unknown}): string[] {
  const messages: string[] = [];
  checkWorkloadOrStages(run, {
    addIssue: (issue: {message?: string}) => messages.push(issue.message ?? ''),
  } as unknown as Parameters<typeof checkWorkloadOrStages>[1]);
  return messages;
}

const workload = {tokens: 1e12, seq_len: 8192, global_batch_tokens: 16777216};
const stages = [{name: 'one', workload}];
const scenario = STATED_SCENARIO_WITHOUT_WORKLOAD;
const reference = {
  id: 'staged',
  name: 'Staged',
  model: 'llama-3.1-405b',
  cluster: {hardware: 'h100-sxm', gpus: 64},
  reported: {metric: 'gpu_hours', value: 1, source: 'x'},
};

describe('workload or stages', () => {
  it('accepts exactly one of them, and names what is missing or doubled', () => {
    expect(sharedMessages({workload})).toEqual([]);
    expect(sharedMessages({stages})).toEqual([]);
    expect(sharedMessages({})[0]).toMatch(/^Missing field `workload`/);
    expect(sharedMessages({workload, stages})[0]).toMatch(/got both/);
  });

  it('gives a scenario and a reference run the same message, the shared check’s', () => {
    for (const shape of [{}, {workload, stages}]) {
      const [message] = sharedMessages(shape);
      const messagesOf = (result: {error?: {issues: ReadonlyArray<{message: string}>}}) =>
        result.error?.issues.map((issue) => issue.message) ?? [];
      expect(messagesOf(trainingScenarioSchema.safeParse({...scenario, ...shape}))).toContain(message);
      expect(messagesOf(referenceRunSchema.safeParse({...reference, ...shape}))).toContain(message);
    }
  });
});
