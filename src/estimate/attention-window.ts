import type {Attention} from '../data/schemas/model.js';

/**
 * Sliding-window attention in the counts that depend on how far a query
 * looks back: attention FLOPs, the KV cache and its reads. A windowed layer
 * attends at most `tokens` keys per query and caches at most `tokens`
 * positions per sequence (Mistral 7B, arXiv 2310.06825 §2 "rolling buffer
 * cache"; gpt-oss model card, arXiv 2508.10925 §2.1: a 128-token window in
 * every other layer).
 */

/** Groups of layers sharing a window (at most one group today: one window size per model). */
export interface AttentionWindow {
  /** Windowed layers of the model. */
  readonly layers: number;
  /** Keys a query attends, itself included. */
  readonly tokens: number;
}

/** The model's windowed layers: none without `sliding_window`; a repeating pattern from the first layer, a count, or every layer. */
export function attentionWindows(attention: Attention, layers: number): readonly AttentionWindow[] {
  const window = attention.sliding_window;
  if (window === undefined) return [];
  let windowed = layers;
  if (window.layers !== undefined) windowed = Math.min(window.layers, layers);
  else if (window.pattern !== undefined) {
    const block = window.pattern.windowed + window.pattern.full;
    windowed = Math.floor(layers / block) * window.pattern.windowed + Math.min(layers % block, window.pattern.windowed);
  }
  return windowed > 0 ? [{layers: windowed, tokens: window.tokens}] : [];
}

/**
 * Mean keys a query attends under a causal mask over a sequence of
 * `seqLen` tokens, in PaLM's halved convention (Chowdhery et al. 2022
 * App. B: full causal attention counts seqLen/2): the continuous
 * ∫₀ˢ min(p, w) dp / s, which is w − w²/(2s) for a window w shorter than the
 * sequence and s/2 once the window covers it (so a window at least as long
 * as the sequence is exactly full attention). The discrete count
 * Σ min(p, w)/s differs by under half a key per query.
 */
export function causalKeysPerQuery(seqLen: number, windowTokens = Infinity): number {
  if (windowTokens >= seqLen) return seqLen / 2;
  return windowTokens - (windowTokens * windowTokens) / (2 * seqLen);
}

/**
 * The share of full attention's score and value FLOPs the model's layers do
 * at this sequence length: 1 without windows. The same share holds for the
 * non-causal count (no mask exploited: a full layer s keys, a windowed one
 * the band of w keys on either side, 2w − w²/s), which is twice the causal
 * one in both kinds of layer.
 */
export function attentionShare(windows: readonly AttentionWindow[], layers: number, seqLen: number): number {
  if (windows.length === 0 || seqLen <= 0) return 1;
  const full = causalKeysPerQuery(seqLen);
  let keys = layers * full;
  for (const window of windows) keys -= window.layers * (full - causalKeysPerQuery(seqLen, window.tokens));
  return keys / (layers * full);
}

/**
 * Context positions cached (or read, or attended in decode) per layer, on
 * average over the layers, for a sequence holding `contextTokens`: a full
 * layer holds every position, a windowed one at most its window
 * (`contextTokens` itself without windows).
 */
export function cachedContextTokens(
  windows: readonly AttentionWindow[],
  layers: number,
  contextTokens: number,
): number {
  if (windows.length === 0) return contextTokens;
  let total = layers * contextTokens;
  for (const window of windows) total -= window.layers * Math.max(0, contextTokens - window.tokens);
  return total / layers;
}

/**
 * The longest context whose cache holds at most `cachedTokens` positions
 * per layer on average (the inverse of `cachedContextTokens`); Infinity when
 * every layer is windowed and the windows fit.
 */
export function contextForCachedTokens(
  windows: readonly AttentionWindow[],
  layers: number,
  cachedTokens: number,
): number {
  if (windows.length === 0) return cachedTokens;
  // Piecewise linear and increasing: walk the windows from the shortest, each past its window adding nothing.
  const sorted = [...windows].sort((a, b) => a.tokens - b.tokens);
  let growing = layers; // layers still caching one more position per token of context
  let context = 0;
  let cached = 0;
  for (const window of sorted) {
    const reach = cached + (growing * (window.tokens - context)) / layers;
    if (cachedTokens <= reach) return context + ((cachedTokens - cached) * layers) / growing;
    cached = reach;
    context = window.tokens;
    growing -= window.layers;
  }
  return growing > 0 ? context + ((cachedTokens - cached) * layers) / growing : Infinity;
}
