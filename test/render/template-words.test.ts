import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {REPO_ROOT} from '../helpers/project.js';
import {typedComparatives, type TypedComparative} from '../helpers/template-prose.js';

/**
 * A comparative, directional or quantifying word typed beside a computed value ("{x} more than", "above
 * {…}", "most on the {…}", "every chip spends from {…}") says something the data may stop saying: coherence 14
 * and 15 found such words wrong on the data ('so the cost goes up', 'the prices more than the speeds').
 * Each one next to a computed value is either computed itself (inside the expression, or a branch of a
 * conditional) or listed here, reviewed, with why it holds whatever the data. A new one fails with its
 * file:line until it is computed or reviewed. Read from the templates' text, no render (template-prose.ts).
 */

/** Why a reviewed word holds whatever the data: one reason per kind of word. */
const HERE = "points to a place on the page (the table, the range or the assumptions 'above'/'below'), not to a value";
const RULE = 'states a rule of the model or of the method, which holds whatever the numbers are';
const WHOLE = "counts the whole of a set the page computes ('all N', 'every run', 'every GPU'), true by construction";
const SPAN =
  "the computed span runs from the least to the most (or is the gap itself), so 'every'/'within' holds by construction";
const RANKED =
  "names what a computed ranking puts first ('most on the {…}'); the name is computed from the values it ranks";
const TERM =
  "belongs to a name or a fixed phrase ('lower bar', 'the slower link', 'half load'), not a comparison of the values beside it";
const NEIGHBOUR = 'the direction is carried by the computed piece beside it (a word or a ratio chosen from the values)';
const CONTRAST = "contrasts two situations the sentence names ('on a single node, though'), not the values beside it";
const EXCEPTED = 'a general statement whose exceptions the page computes and lists beside it';

/** [template, a quote of its sentence holding the word (computed pieces as {…}), why it holds]. */
const REVIEWED: ReadonlyArray<readonly [string, string, string]> = [
  ['calibration', 'and {…} of {…} runs are within {…}', WHOLE],
  ['calibration', 'The held-out runs it misses most are {…}', RANKED],
  ['calibration', 'over every run, which a kind with fewer than {…} runs takes', RULE],
  ['calibration', 'with the constant fitted to all, and', RULE],
  ['calibration', 'of {…} figures are within {…} left out', WHOLE],
  ['calibration', 'module costs time but is not part of its MFU', CONTRAST],
  ['calibration', 'a kind with fewer than {…} takes the fit over all', RULE],
  ['deepseek-v3-on-other-hardware', 'the other predicted rows (all but the one with no lost', TERM],
  ['deepseek-v3-on-other-hardware', 'every prediction for a mixture of', RULE],
  ['deepseek-v3-on-other-hardware', 'and the {…} for the most, {…}', RANKED],
  ['deepseek-v3-on-other-hardware', 'and the {…} the most ({…})', RANKED],
  ['deepseek-v3-on-other-hardware', '(lower bar)', TERM],
  ['deepseek-v3-on-other-hardware', 'every chip spends from {…} to {…}', SPAN],
  ['deepseek-v3-on-other-hardware', 'It is most exposed on the {…}', RANKED],
  ['deepseek-v3-on-other-hardware', "Whether that beats {…} by more than the model's error is on the", TERM],
  ['deepseek-v3-on-other-hardware', 'but each GPU does less useful work, so the cost goes up', EXCEPTED],
  ['deepseek-v3-on-other-hardware', 'puts every chip with a price at {…} GPUs', WHOLE],
  ['deepseek-v3-reconstructed', 'The range above, {…}', HERE],
  ['deepseek-v3-reconstructed', 'the reported figure to within {…}', SPAN],
  ['deepseek-v3-reconstructed', 'only the bias correction draws on this run', RULE],
  ['does-efficiency-reduce-compute', 'a range bounded by the evidence below', HERE],
  ['does-efficiency-reduce-compute', 'rises only if the elasticity exceeds **{…}** (1/θ)', RULE],
  ['does-efficiency-reduce-compute', 'where sellers keep most of the saving (pass-through', TERM],
  ['does-efficiency-reduce-compute', 'where all of it reaches the price', TERM],
  ['does-efficiency-reduce-compute', 'the new uses a lower price makes worth paying for', RULE],
  ['does-efficiency-reduce-compute', 'what a rebound of more than the saving would look like', RULE],
  ['does-efficiency-reduce-compute', 'for every elasticity and pass-through', WHOLE],
  ['does-efficiency-reduce-compute', 'One ε for every efficiency factor up to {…}', RULE],
  ['flexibility-versus-specialisation', 'Every number is a predicted', WHOLE],
  ['flexibility-versus-specialisation', 'FP8 tensor units faster than the BF16 ones', TERM],
  ['flexibility-versus-specialisation', 'it helps most on the {…}', RANKED],
  ['flexibility-versus-specialisation', "DeepSeek's stack costs most on the {…}", RANKED],
  ['flexibility-versus-specialisation', 'a layout the memory model puts within its own error of the memory', RULE],
  ['inference-economics', 'attention data-parallel on every GPU', WHOLE],
  ['inference-economics', 'with the assumptions below', HERE],
  ['inference-economics', 'the estimate lands within {…} of both figures', SPAN],
  ['inference-economics', 'run at half load all day', TERM],
  ['inference-economics', '{…} the median above', NEIGHBOUR],
  ['inference-economics', 'as in the table below', HERE],
  ['inference-economics', "against Llama's below ({…})", HERE],
  ['inference-economics', "still reads nearly every expert's weights", RULE],
  ['inference-economics', 'every GPU holds {…} of the model', RULE],
  // The two nodes are the same chip's, so they rent at the same price whatever the data.
  ['inference-economics', 'though the two nodes rent at the same price', RULE],
  ['inference-economics', 'but a decode step over a whole batch', RULE],
  ['inference-economics', 'each GPU reads only its own experts', RULE],
  // A longer context leaves room for fewer sequences: the cache grows with it.
  ['inference-economics', 'where only {…} fit per GPU', RULE],
  ['inference-economics', 'On a single node, though,', CONTRAST],
  ['methodology', 'sources below are the records', HERE],
  ['methodology', 'split by TP only with sequence parallelism', RULE],
  ['methodology', 'hidden behind the GEMMs they feed only when the recipe says', RULE],
  ['methodology', 'skips the masked half', TERM],
  ['methodology', 'on the slower link', TERM],
  ['methodology', 'never more than {…}', RULE],
  ['methodology', 'cannot defer more than the step', RULE],
  ['methodology', '(all it holds, or its {…} share', RULE],
  ['methodology', 'each exposed part as above', HERE],
  ['methodology', 'it reports how much slower the best layout', RULE],
  ['methodology', 'so a gap outside about {…}', RULE],
  ['methodology', 'are paid for all day', RULE],
  ['methodology', 'gives every output', WHOLE],
  ['methodology', 'every draw multiplies the predicted', RULE],
  ['methodology', 'A kind with fewer than {…} runs takes the fit over every run', RULE],
  ['methodology', '(every kernel, transfer and host', WHOLE],
  ['methodology', 'a kind with fewer than {…} figures takes the fit over all of them', RULE],
  ['where-the-efficiency-came-from', 'Every step runs on the same {…}', WHOLE],
  ['where-the-efficiency-came-from', "against all {…} of the dense model's", WHOLE],
  ['where-the-efficiency-came-from', 'of every step', WHOLE],
  ['where-the-efficiency-came-from', 'but on the same layout they are still', CONTRAST],
  ['where-the-efficiency-came-from', 'the dense baseline depends most on the {…}', RANKED],
  // The swing is the sensitivity's default for a number stated without a range (sensitivity.ts DEFAULT_SWING).
  ['where-the-efficiency-came-from', "With {…} less than the H800's {…} of memory", RULE],
  ['where-the-efficiency-came-from', 'over every run: {…} on dense models', WHOLE],
];

const TEMPLATES = path.join(REPO_ROOT, 'templates');
const found: ReadonlyArray<TypedComparative & {readonly template: string}> = readdirSync(TEMPLATES)
  .filter((name) => name.endsWith('.mdx'))
  .sort()
  .flatMap((name) =>
    typedComparatives(readFileSync(path.join(TEMPLATES, name), 'utf8')).map((hit) => ({
      ...hit,
      template: name.replace(/\.mdx$/, ''),
    })),
  );

/** Whether a reviewed quote covers the word where it stands in its sentence. */
const covers = (quote: string, hit: TypedComparative): boolean => {
  for (let start = hit.sentence.indexOf(quote); start >= 0; start = hit.sentence.indexOf(quote, start + 1))
    if (start <= hit.at && hit.at + hit.word.length <= start + quote.length) return true;
  return false;
};

describe('typed comparatives next to computed values', () => {
  it('finds them in the templates (the reader of templates/*.mdx works)', () => {
    expect(found.length).toBeGreaterThan(20);
  });

  it('are each computed or reviewed with why they hold whatever the data', () => {
    const unreviewed = found
      .filter((hit) => !REVIEWED.some(([template, quote]) => template === hit.template && covers(quote, hit)))
      .map(
        (hit) =>
          `templates/${hit.template}.mdx:${String(hit.line)}: '${hit.word}' in "${hit.sentence.slice(Math.max(0, hit.at - 60), hit.at + 60)}"`,
      );
    expect(unreviewed, 'compute the word from the values beside it, or review it in REVIEWED with its reason').toEqual(
      [],
    );
  });

  it('has no reviewed entry that no longer matches a word (a stale entry would pass a new word unseen)', () => {
    const stale = REVIEWED.filter(
      ([template, quote]) => !found.some((hit) => hit.template === template && covers(quote, hit)),
    ).map(([template, quote]) => `${template}: "${quote}"`);
    expect(stale).toEqual([]);
  });
});
