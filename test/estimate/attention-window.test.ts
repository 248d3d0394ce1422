import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {modelSchema, type Model} from '../../src/data/schemas/model.js';
import {
  attentionShare,
  attentionWindows,
  cachedContextTokens,
  causalKeysPerQuery,
  contextForCachedTokens,
} from '../../src/estimate/attention-window.js';
import {trainingFlopsPerToken} from '../../src/estimate/flops.js';
import {kvContextTokens, contextForKvTokens, servingProfile} from '../../src/estimate/inference/serving-profile.js';
import {chipRates} from '../../src/estimate/chip-rates.js';
import {atSequenceLength, profileModel} from '../../src/estimate/model-profile.js';
import {predictStep} from '../../src/estimate/training/step-time.js';
import {layoutOf, setupOf, testChip} from '../helpers/training-fixtures.js';

/**
 * Sliding-window attention: exact FLOP and KV-cache counts of a windowed
 * model against hand computation, and as properties: a window at least as
 * long as the sequence is full attention.
 */

const RUNS = {numRuns: 200};

/** A gpt-oss-120b-shaped model (arXiv 2508.10925 §2): 36 layers, 64 heads of 64, 8 KV heads, window 128 on every other layer. */
function windowedModel(window: unknown = {tokens: 128, pattern: {windowed: 1, full: 1}}, layers = 36): Model {
  return modelSchema.parse({
    id: 'windowed',
    name: 'windowed',
    layers,
    d_model: 2880,
    vocab: 201088,
    attention: {kind: 'gqa', heads: 64, kv_heads: 8, head_dim: 64, ...(window ? {sliding_window: window} : {})},
    ffn: {kind: 'moe', experts: 128, active: 4, expert_d_ff: 2880},
    declared: {params_total: 116.8e9, source: 'test'},
    source: 'test',
  });
}

describe('which layers are windowed', () => {
  it('counts a 1:1 pattern (gpt-oss: 18 of 36), a 5:1 one (Gemma 3 27B: 52 of 62), a count, and every layer', () => {
    expect(attentionWindows(windowedModel().attention, 36)).toEqual([{layers: 18, tokens: 128}]);
    const gemma = windowedModel({tokens: 1024, pattern: {windowed: 5, full: 1}}, 62);
    expect(attentionWindows(gemma.attention, 62)).toEqual([{layers: 52, tokens: 1024}]);
    const counted = windowedModel({tokens: 4096, layers: 10});
    expect(attentionWindows(counted.attention, 36)).toEqual([{layers: 10, tokens: 4096}]);
    const all = windowedModel({tokens: 4096});
    expect(attentionWindows(all.attention, 36)).toEqual([{layers: 36, tokens: 4096}]);
    expect(attentionWindows(windowedModel(null).attention, 36)).toEqual([]);
  });

  it('refuses a pattern and a count together, and more windowed layers than the model has', () => {
    expect(() => windowedModel({tokens: 128, layers: 4, pattern: {windowed: 1, full: 1}})).toThrow(/not both/);
    expect(() => windowedModel({tokens: 128, layers: 37})).toThrow(/at most 36 windowed layers/);
  });
});

describe('training FLOPs of a windowed model (hand computation)', () => {
  it('counts 18 full layers at T/2 keys and 18 windowed at w − w²/2T keys per query', () => {
    const flops = trainingFlopsPerToken(windowedModel(), 4096);
    // 6 · H · (d_qk + d_v) = 6 · 64 · 128 = 49,152 per layer and key; keys: 18 · 2,048 + 18 · (128 − 128²/8,192 = 126).
    expect(flops.attentionCausal).toBe(49_152 * (18 * 2048 + 18 * 126));
    expect(flops.attentionCausal).toBe(1_923_416_064);
    expect(flops.attentionNonCausal).toBe(2 * flops.attentionCausal);
    // Full attention in every layer would count 36 · 2,048 keys.
    expect(trainingFlopsPerToken(windowedModel(null), 4096).attentionCausal).toBe(49_152 * 36 * 2048);
  });

  it('gives the step model the same count through the profile at that length (T · flops/2, forward and backward)', () => {
    const model = windowedModel();
    const profile = atSequenceLength(profileModel(model), 4096);
    expect(3 * profile.attentionFlopsPerContextToken * 4096 * 0.5).toBeCloseTo(
      trainingFlopsPerToken(model, 4096).attentionCausal,
      0,
    );
    expect(atSequenceLength(profile, 4096)).toBe(profile);
    expect(atSequenceLength(atSequenceLength(profile, 8192), 4096).attentionFlopsPerContextToken).toBe(
      profile.attentionFlopsPerContextToken,
    );
    const full = profileModel(windowedModel(null));
    expect(atSequenceLength(full, 4096)).toBe(full);
  });

  it('is what every step prediction reads, whatever profile its caller passes: the windows at the setup length', () => {
    const model = windowedModel();
    const rates = chipRates(testChip());
    // Graphed, so that the GPU's own work sets the step (not the host's dispatch of 16 experts per GPU).
    const setup = setupOf({gpus: 64, seqLen: 4096, globalBatchTokens: 64 * 4096, cudaGraphs: 'full'});
    const layout = layoutOf({dp: 64, ep: 8, etp: 1});
    const step = (profile: ReturnType<typeof profileModel>) => predictStep(profile, setup, layout, rates);
    // Taken at another length, or not at all: the same step as at the setup's own length.
    expect(step(profileModel(model)).stepSeconds).toBe(step(atSequenceLength(profileModel(model), 4096)).stepSeconds);
    expect(step(atSequenceLength(profileModel(model), 65_536)).stepSeconds).toBe(
      step(atSequenceLength(profileModel(model), 4096)).stepSeconds,
    );
    // And less compute than the same model without windows (the data-parallel exchange this small run exposes hides
    // behind whatever compute there is, so the step itself may not move).
    expect(step(profileModel(model)).breakdown.computeSeconds).toBeLessThan(
      step(profileModel(windowedModel(null))).breakdown.computeSeconds,
    );
  });

  it('is full attention when the window covers the sequence, at every length and pattern (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 1 << 20}),
        fc.integer({min: 0, max: 1 << 20}),
        fc.integer({min: 1, max: 6}),
        fc.integer({min: 1, max: 6}),
        (seqLen, extra, windowed, full) => {
          const model = windowedModel({tokens: seqLen + extra, pattern: {windowed, full}});
          const reference = trainingFlopsPerToken(windowedModel(null), seqLen);
          const flops = trainingFlopsPerToken(model, seqLen);
          expect(flops.attentionCausal).toBe(reference.attentionCausal);
          expect(flops.attentionNonCausal).toBe(reference.attentionNonCausal);
          expect(atSequenceLength(profileModel(model), seqLen).attentionFlopsPerContextToken).toBe(
            profileModel(windowedModel(null)).attentionFlopsPerContextToken,
          );
        },
      ),
      RUNS,
    );
  });

  it('never counts more than full attention, nor fewer keys than the discrete count less half a key (property)', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 4096}), fc.integer({min: 1, max: 8192}), (window, seqLen) => {
        const keys = causalKeysPerQuery(seqLen, window);
        expect(keys).toBeLessThanOrEqual(seqLen / 2 + 1e-9);
        let discrete = 0;
        for (let position = 1; position <= seqLen; position++) discrete += Math.min(position, window);
        expect(Math.abs(keys - discrete / seqLen)).toBeLessThanOrEqual(0.5 + 1e-9);
        const share = attentionShare([{layers: 3, tokens: window}], 6, seqLen);
        expect(share).toBeGreaterThan(0);
        expect(share).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
  });
});

describe('KV cache of a windowed model (hand computation)', () => {
  const model = windowedModel();
  const profile = servingProfile(model, profileModel(model));

  it('holds every position in the full layers and the last 128 in the windowed ones', () => {
    // (18 · 1,000 + 18 · 128) / 36 = 564 positions per layer on average; 2 · 8 · 64 = 1,024 elements each.
    expect(kvContextTokens(profile, 1000)).toBe(564);
    expect(kvContextTokens(profile, 1000) * profile.kvElementsPerToken).toBe(564 * 1024 * 36);
    // Within the window, every layer holds the whole context.
    expect(kvContextTokens(profile, 100)).toBe(100);
    // And the longest context for 564 cached positions per layer is 1,000 again.
    expect(contextForKvTokens(profile, 564)).toBe(1000);
    expect(contextForKvTokens(profile, 100)).toBe(100);
  });

  it('is unbounded when every layer is windowed and the windows fit', () => {
    const all = attentionWindows(windowedModel({tokens: 4096}).attention, 36);
    expect(contextForCachedTokens(all, 36, 4096)).toBe(4096);
    expect(contextForCachedTokens(all, 36, 4097)).toBe(Infinity);
  });

  it('is the whole context when the window covers it, and the inverse undoes it (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 1 << 20}),
        fc.integer({min: 1, max: 1 << 20}),
        fc.integer({min: 0, max: 36}),
        (context, window, windowedLayers) => {
          const windows = windowedLayers > 0 ? [{layers: windowedLayers, tokens: window}] : [];
          const cached = cachedContextTokens(windows, 36, context);
          if (window >= context) expect(cached).toBe(context);
          expect(cached).toBeLessThanOrEqual(context);
          if (windowedLayers < 36 || context <= window)
            expect(contextForCachedTokens(windows, 36, cached)).toBeCloseTo(context, 6);
        },
      ),
      RUNS,
    );
  });
});
