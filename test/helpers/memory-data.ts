import {loadCatalog, type DataReader} from '../../src/data/load-catalog.js';
import type {Catalog} from '../../src/data/catalog.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';

/** One small chip and one small model, enough for scenarios written in a test. */
export const SMALL_HARDWARE = `- id: chip
  name: A chip
  vendor: Nobody
  peak_tflops: {bf16: 1000, fp8: 2000, source: "example"}
  memory: {capacity_gb: 80, bandwidth_tb_per_s: 3, source: "example"}
  scale_up: {bandwidth_gb_per_s: 400, domain_gpus: 8, source: "example"}
  scale_out: {bandwidth_gb_per_s: 50, source: "example"}
  power: {tdp_w: 700, source: "example"}
- id: other-chip
  name: Another chip
  vendor: Nobody
  peak_tflops: {bf16: 500, source: "example"}
  memory: {capacity_gb: 80, bandwidth_tb_per_s: 3, source: "example"}
  scale_up: {bandwidth_gb_per_s: 400, domain_gpus: 8, source: "example"}
  scale_out: {bandwidth_gb_per_s: 50, source: "example"}
  power: {tdp_w: 700, source: "example"}
`;
export const SMALL_MODELS = `- id: dense
  name: Dense
  layers: 4
  d_model: 1024
  vocab: 32000
  tied_embeddings: false
  attention: {kind: mha, heads: 8, head_dim: 128}
  ffn: {kind: dense, d_ff: 4096, gated: false}
  declared: {params_total: 115876864, source: "example"}
  source: "example"
`;

/** Load data given as text by path (`data/scenarios/a.yaml`), hardware and models defaulting to the small ones. */
export async function loadMemoryCatalog(
  files: Record<string, string>,
  load: (root: string, diagnostics: Diagnostics, reader: DataReader) => Promise<Catalog> = loadCatalog,
): Promise<{catalog: Catalog; messages: string[]}> {
  const all: Record<string, string> = {
    'data/hardware.yaml': SMALL_HARDWARE,
    'data/models.yaml': SMALL_MODELS,
    ...files,
  };
  const reader: DataReader = {
    readText: async (file) => {
      const text = all[file];
      if (text === undefined) throw Object.assign(new Error('missing'), {code: 'ENOENT'});
      return text;
    },
    list: async (folder) =>
      Object.keys(all)
        .filter((file) => file.startsWith(`${folder}/`))
        .map((file) => file.slice(folder.length + 1)),
    exists: (file) => file in all,
  };
  const diagnostics = new Diagnostics();
  const catalog = await load('.', diagnostics, reader);
  const messages = diagnostics.files.flatMap((file) =>
    file.messages.map(
      (message) =>
        `${file.path}:${message.line}:${message.column} ${message.fatal ? 'error' : 'warning'} ${message.reason}`,
    ),
  );
  return {catalog, messages};
}
