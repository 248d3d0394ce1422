import type {Catalog} from '../data/catalog.js';
import {stableJson} from '../data/record-hashes.js';
import {sweepPointsOf} from '../estimate/kinds.js';
import {describePoint} from './point-words.js';
import type {CheckProblem} from './check-problem.js';
import {describeScenarioPoint, familyOf} from './setups.js';

/**
 * Warn when two scenarios that are not variants of one another (no
 * `extends:` chain joins them) describe the same setup under different
 * assumptions: the same real-world run would then be shown with two values,
 * and the reader could not tell which assumption made the difference. Each
 * pair is reported once, at the scenario that comes second in id order,
 * naming the other and the assumptions that differ.
 */
export function checkSameSetups(catalog: Catalog): CheckProblem[] {
  const bySetup = new Map<
    string,
    Array<{id: string; family: string; assumptions: string; point: string; differs: Record<string, string>}>
  >();
  const ids = [...catalog.scenarios.keys()].sort();
  for (const id of ids) {
    const scenario = catalog.scenarios.get(id)!;
    const family = familyOf(catalog, scenario);
    for (const point of sweepPointsOf(scenario)) {
      const description = describeScenarioPoint(catalog, scenario, point);
      if (!description) continue;
      const setup = stableJson(description.setup);
      const parts = description.assumptions as Record<string, unknown>;
      const entry = {
        id,
        family,
        assumptions: stableJson(parts),
        point: describePoint(point),
        differs: Object.fromEntries(Object.entries(parts).map(([name, value]) => [name, stableJson(value ?? null)])),
      };
      const list = bySetup.get(setup);
      if (list) list.push(entry);
      else bySetup.set(setup, [entry]);
    }
  }
  const reported = new Set<string>();
  const problems: CheckProblem[] = [];
  for (const entries of bySetup.values()) {
    for (const [index, later] of entries.entries()) {
      for (const earlier of entries.slice(0, index)) {
        if (earlier.id === later.id || earlier.family === later.family) continue;
        if (earlier.assumptions === later.assumptions) continue;
        const pair = `${earlier.id}\0${later.id}`;
        if (reported.has(pair)) continue;
        reported.add(pair);
        const names = Object.keys(later.differs).filter((name) => later.differs[name] !== earlier.differs[name]);
        const scenario = catalog.scenarios.get(later.id)!;
        problems.push({
          severity: 'warning',
          collection: 'scenarios',
          id: later.id,
          path: scenario.extends === undefined ? ['id'] : ['extends'],
          message:
            `\`${later.id}\`${later.point ? ` (${later.point})` : ''} describes the same setup as \`${earlier.id}\`` +
            `${earlier.point ? ` (${earlier.point})` : ''} under other assumptions (${names.join(', ')}): ` +
            'the same run would show two values; make one extend the other, or give them the same assumptions',
          rule: 'same-setup',
        });
      }
    }
  }
  return problems;
}
