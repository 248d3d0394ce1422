// A reader's scenario as a data file (src/client/explorer/scenario-yaml.ts).
import {parse} from 'yaml';
import {beforeAll, describe, expect, it} from 'vitest';
import {kindSchema} from '../../../src/client/explorer/schema-fields.js';
import {draftScenario, READER_SOURCE} from '../../../src/client/explorer/scenario-yaml.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import {readCatalogJson, writeCatalogJson, type LoadedCatalog} from '../../../src/data/catalog-json.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {REPO_ROOT} from '../../helpers/project.js';

let loaded: LoadedCatalog;
beforeAll(async () => {
  loaded = readCatalogJson(JSON.parse(writeCatalogJson(await loadCheckedCatalog(REPO_ROOT, new Diagnostics()))));
});

const written = (id: string) => loaded.writtenScenarios.get(id)!;
const training = () => kindSchema('training')!;

describe('a reader’s scenario as YAML', () => {
  it('is the scenario as written, under its own id, when nothing changed', () => {
    const draft = draftScenario(written('deepseek-v3-pretraining'), [], training());
    expect(draft.id).toBe('deepseek-v3-pretraining');
    expect(parse(draft.text)).toEqual(written('deepseek-v3-pretraining'));
    expect(draft.text).toMatch(/^# Made in the tradeoffs explorer from the scenario deepseek-v3-pretraining\./);
  });

  it('takes a new id, name and description when changed, drops the published figures, and says whose numbers changed', () => {
    const draft = draftScenario(
      written('deepseek-v3-pretraining'),
      [
        {path: ['cluster', 'gpus'], value: 4096},
        {path: ['cost', 'usd_per_gpu_hour'], value: {low: 1.5, mode: 1.9, high: 3}},
      ],
      training(),
    );
    const value = parse(draft.text);
    expect(draft.id).toBe('deepseek-v3-pretraining-what-if');
    expect(value).toMatchObject({
      id: 'deepseek-v3-pretraining-what-if',
      name: "DeepSeek-V3 pre-training, at DeepSeek's measured MFU (what if)",
      description:
        'Made in the tradeoffs explorer from deepseek-v3-pretraining, changing cluster.gpus, cost.usd_per_gpu_hour.',
      cluster: {hardware: 'h800-sxm', gpus: 4096},
    });
    expect(value.reported).toBeUndefined();
    expect(value.cost.source).toMatch(new RegExp(`^${READER_SOURCE}, in place of: \\[A\\] DeepSeek-V3`));
    // Groups the reader did not touch keep their sources.
    expect(value.efficiency.source).toBe((written('deepseek-v3-pretraining').efficiency as {source: string}).source);
    expect(draft.text).toContain('usd_per_gpu_hour: { low: 1.5, mode: 1.9, high: 3 }');
    expect(draft.value).toEqual(value);
  });

  it('gives a group the reader adds the source its schema requires, and keeps the id the reader chose', () => {
    const draft = draftScenario(
      written('deepseek-v3-best-layout-by-chip'),
      [
        {path: ['cost'], value: {usd_per_gpu_hour: 2.5}},
        {path: ['id'], value: 'my-question'},
      ],
      training(),
    );
    expect(parse(draft.text)).toMatchObject({id: 'my-question', cost: {usd_per_gpu_hour: 2.5, source: READER_SOURCE}});
  });

  it('skips an edit below a field that is not a group, and writes the others', () => {
    const draft = draftScenario(
      written('deepseek-v3-pretraining'),
      [
        {path: ['workload', 'seq_len', 'x'], value: 1},
        {path: ['precision'], value: 'bf16'},
      ],
      training(),
    );
    expect(draft.skipped.map((edit) => edit.path.join('.'))).toEqual(['workload.seq_len.x']);
    expect(parse(draft.text)).toMatchObject({precision: 'bf16', workload: {seq_len: 4096}});
  });
});
