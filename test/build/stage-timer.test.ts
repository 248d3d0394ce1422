import {setTimeout as sleep} from 'node:timers/promises';
import {describe, expect, it} from 'vitest';
import {stageTimer} from '../../src/build/stage-timer.js';

describe('stageTimer', () => {
  it('counts a stage timed inside another once: printing inside writing is not writing', async () => {
    const times = new Map<string, number>();
    const timed = stageTimer((stage, milliseconds) => times.set(stage, (times.get(stage) ?? 0) + milliseconds));
    const started = performance.now();
    await timed('write', async () => {
      await sleep(20);
      await timed('pdf', () => sleep(200));
      await sleep(20);
    });
    const total = performance.now() - started;
    const write = times.get('write') ?? NaN;
    const pdf = times.get('pdf') ?? NaN;
    expect(pdf).toBeGreaterThanOrEqual(195);
    // Writing is the whole less printing (not the whole): together they are the whole, once.
    expect(write).toBeLessThanOrEqual(total - pdf + 1);
    expect(write).toBeGreaterThanOrEqual(0);
  });
});
