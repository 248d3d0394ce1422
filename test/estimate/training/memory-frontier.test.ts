import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import type {TrainingScenario} from '../../../src/data/schemas/scenario.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import type {Layout} from '../../../src/estimate/training/layout.js';
import {
  addToFrontier,
  layoutUnderMemoryError,
  type FrontierLayout,
} from '../../../src/estimate/training/memory-frontier.js';
import {PUBLISHED_MEMORY_TOLERANCE} from '../../../src/estimate/training/search.js';
import {stepOrder} from '../../../src/estimate/training/step-order.js';
import {estimateTraining} from '../../../src/estimate/training/training-scenario.js';
import {REPO_ROOT} from '../../helpers/project.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCheckedCatalog(REPO_ROOT, new Diagnostics());
});

/** Candidates with distinct placeholder layouts (the frontier reads only step and memory). */
const candidates = fc.array(
  fc.record({
    stepSeconds: fc.double({min: 0.1, max: 100, noNaN: true}),
    memoryRatio: fc.double({min: 0.2, max: 1.25, noNaN: true}),
  }),
  {maxLength: 40},
);
/** The frontier of some layouts, added in the order found, as the search adds them. */
const memoryFrontier = (all: readonly FrontierLayout[]): FrontierLayout[] => {
  const frontier: FrontierLayout[] = [];
  for (const candidate of all) addToFrontier(frontier, candidate);
  return frontier;
};
const asLayouts = (raw: ReadonlyArray<{stepSeconds: number; memoryRatio: number}>): FrontierLayout[] =>
  raw.map((each, index) => ({...each, layout: {tp: index + 1} as unknown as Layout}));

describe('the memory frontier', () => {
  it('is fastest first with less memory at each step, and no candidate beats a member on both', () => {
    fc.assert(
      fc.property(candidates, (raw) => {
        const all = asLayouts(raw);
        const frontier = memoryFrontier(all);
        for (let index = 1; index < frontier.length; index++) {
          expect(stepOrder(frontier[index]!.stepSeconds)).toBeGreaterThanOrEqual(
            stepOrder(frontier[index - 1]!.stepSeconds),
          );
          expect(frontier[index]!.memoryRatio).toBeLessThan(frontier[index - 1]!.memoryRatio);
        }
        // Every candidate is matched or beaten on both by a member: the pick under any error is on the frontier.
        for (const candidate of all) {
          expect(
            frontier.some(
              (member) =>
                stepOrder(member.stepSeconds) <= stepOrder(candidate.stepSeconds) &&
                member.memoryRatio <= candidate.memoryRatio,
            ),
          ).toBe(true);
        }
      }),
    );
  });

  it('picks the fastest layout that fits once the memory is scaled, slower as the scale grows', () => {
    fc.assert(
      fc.property(
        candidates,
        fc.double({min: 0.5, max: 2, noNaN: true}),
        fc.double({min: 0.5, max: 2, noNaN: true}),
        (raw, a, b) => {
          const all = asLayouts(raw);
          const frontier = memoryFrontier(all);
          const stepOf = (layout: Layout | undefined) => all.find((each) => each.layout === layout)?.stepSeconds;
          const pick = layoutUnderMemoryError(frontier, a);
          const fitting = all.filter((each) => each.memoryRatio * a <= 1);
          if (fitting.length > 0)
            expect(stepOrder(stepOf(pick)!)).toBe(stepOrder(Math.min(...fitting.map((each) => each.stepSeconds))));
          const [low, high] = a <= b ? [a, b] : [b, a];
          const lowStep = stepOf(layoutUnderMemoryError(frontier, low));
          const highStep = stepOf(layoutUnderMemoryError(frontier, high));
          if (lowStep !== undefined && highStep !== undefined)
            expect(stepOrder(highStep)).toBeGreaterThanOrEqual(stepOrder(lowStep));
        },
      ),
    );
  });
});

describe('the search and the memory frontier', () => {
  const scenario = () => catalog.scenarios.get('deepseek-v3-pretraining-predicted') as TrainingScenario;

  it("picks, at the model's own memory, the layout the search ranks first, and holds nothing beyond the tolerance", () => {
    for (const hardware of ['h800-sxm', 'b200-sxm', 'mi300x', 'gaudi3']) {
      // On half DeepSeek's GPUs: not the layout it published, so its knobs are the search's.
      const prediction = estimateTraining(catalog, scenario(), {hardware, gpus: 1024}).stages[0]!.prediction!;
      expect(prediction.frontier.length, hardware).toBeGreaterThan(1);
      expect(layoutUnderMemoryError(prediction.frontier, 1), hardware).toEqual(prediction.step.layout);
      for (const member of prediction.frontier)
        expect(member.memoryRatio, hardware).toBeLessThanOrEqual(PUBLISHED_MEMORY_TOLERANCE);
    }
  });

  it('takes a technique set with its own [A] source as published: the same estimate as the published layout', () => {
    const published = estimateTraining(catalog, scenario(), {}).stages[0]!.prediction!;
    const bySet = estimateTraining(
      catalog,
      catalog.scenarios.get('deepseek-v3-techniques-by-chip') as TrainingScenario,
      {hardware: 'h800-sxm', technique: "DeepSeek's layout"},
    ).stages[0]!.prediction!;
    expect(bySet.frontier).toEqual([]);
    expect(bySet.step.stepSeconds).toBe(published.step.stepSeconds);
    // The same layout with another schedule is no published layout: its knobs are drawn.
    const other = estimateTraining(
      catalog,
      catalog.scenarios.get('deepseek-v3-techniques-by-chip') as TrainingScenario,
      {hardware: 'h800-sxm', technique: "DeepSeek's layout with 1F1B"},
    ).stages[0]!.prediction!;
    expect(other.frontier.length).toBeGreaterThan(0);
  });

  it('leaves the choices of a layout published on its own chip to no memory draw', () => {
    // DeepSeek's own GPUs, precision and layout: evidence that the layout fitted (and on any chip with as much memory).
    for (const hardware of ['h800-sxm', 'h100-sxm']) {
      const published = estimateTraining(catalog, scenario(), {hardware}).stages[0]!.prediction!;
      expect(published.frontier, hardware).toEqual([]);
    }
  });
});
