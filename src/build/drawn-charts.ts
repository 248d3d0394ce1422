import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {deserialize, serialize} from 'node:v8';
import {renderedChartSchema, type RenderedChart} from '../charts/chart-output.js';

/**
 * The charts a build without a cache has drawn, by the key of their spec, so
 * that a spec drawn once is not drawn again in the same build (issue #18).
 * Kept on disk, in a scratch folder of the build's own (removed by
 * `dispose`), not in memory: at 200 reports the distinct drawings are some
 * 16 MB of SVG. V8's serialisation, so a drawing read back is the one drawn
 * to the byte (JSON would turn a table's −0 into 0); checked with zod when
 * read back, anything else is a miss. A scratch folder that cannot be made
 * or written only means drawing again.
 */
export interface DrawnCharts {
  get(key: string): Promise<RenderedChart | undefined>;
  set(key: string, chart: RenderedChart): Promise<void>;
  /** Remove the scratch folder (after the last chart). */
  dispose(): Promise<void>;
}

export function drawnCharts(): DrawnCharts {
  let folder: Promise<string | undefined> | undefined;
  const made = () => (folder ??= mkdtemp(path.join(tmpdir(), 'tradeoffs-charts-')).catch(() => undefined));
  const kept = new Set<string>();
  return {
    get: async (key) => {
      const dir = kept.has(key) ? await made() : undefined;
      if (dir === undefined) return undefined;
      try {
        const parsed = renderedChartSchema.safeParse(deserialize(await readFile(path.join(dir, `${key}.bin`))));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    set: async (key, chart) => {
      const dir = await made();
      if (dir === undefined) return;
      try {
        await writeFile(path.join(dir, `${key}.bin`), serialize(chart));
        kept.add(key);
      } catch {
        // Drawn again if asked again.
      }
    },
    dispose: async () => {
      const dir = await folder;
      if (dir !== undefined) await rm(dir, {recursive: true, force: true});
    },
  };
}
