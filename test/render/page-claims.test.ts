import {beforeAll, describe, expect, it} from 'vitest';
import {
  cell,
  group,
  groupNumber,
  pageText,
  printedNumber,
  tableRows,
  TRAINING_DRAWS,
  whiskeredCaptions,
} from '../helpers/page-tables.js';
import {renderBundledPage, type RenderedPage} from '../helpers/render-page.js';
import {describeParallelism} from '../../src/estimate/training/describe-layout.js';

/**
 * A comparative or directional word on a page (more/less, above/below, wider, cheaper) says what the numbers
 * beside it say, and a caption names what its chart draws: each claim is read against the page's own printed
 * figures and tables (coherence 14).
 */

let otherHardware: RenderedPage;
let demand: RenderedPage;
let inference: RenderedPage;

beforeAll(async () => {
  [otherHardware, demand, inference] = await Promise.all([
    renderBundledPage('templates/deepseek-v3-on-other-hardware.mdx'),
    renderBundledPage('templates/does-efficiency-reduce-compute.mdx'),
    renderBundledPage('templates/inference-economics.mdx'),
  ]);
}, 300_000);

const near = (value: number, reference: number, tolerance: number) => Math.abs(value / reference - 1) <= tolerance;

describe('DeepSeek-V3 on other hardware', () => {
  it('renders without a message', () => {
    expect(otherHardware.messages).toEqual([]);
  });

  it("says what the cost ranking rests on as the price table's prices and costs are (it said 'the prices more than the speeds' with the GPU-hours spread 9.1× and the prices 4.05×)", () => {
    const page = pageText(otherHardware.page);
    const claim =
      /the GPU-hours differ by up to ([\d.]+)× \(the (.+?)'s against the (.+?)'s\) and the median prices by up to ([\d.]+)× \(the (.+?)'s against the (.+?)'s\), so the ranking rests on the (speeds more than on the prices|prices more than on the speeds)/.exec(
        page,
      );
    expect(claim, 'the ranking sentence gives both spreads').not.toBeNull();
    const [hoursSpread, priceSpread] = [groupNumber(claim, 1), groupNumber(claim, 4)];
    expect(group(claim, 7)).toBe(
      hoursSpread > priceSpread ? 'speeds more than on the prices' : 'prices more than on the speeds',
    );
    expect(page).not.toContain('That ranking rests on the prices more than on the speeds');
    // The chips on the common basis, from the cost table: their median price, and their GPU-hours as cost over price.
    const rows = tableRows(otherHardware.page, ['Accelerator', 'Kind', 'Per GPU-hour, median (5th–95th)'])
      .filter((row) => cell(row, 4) === 'yes')
      .map((row) => ({
        chip: cell(row, 0),
        price: printedNumber(cell(row, 2)),
        hours: printedNumber(cell(row, 5)) / printedNumber(cell(row, 2)),
      }));
    expect(rows.length).toBeGreaterThan(1);
    const byPrice = [...rows].sort((a, b) => a.price - b.price);
    const byHours = [...rows].sort((a, b) => a.hours - b.hours);
    const [cheapest, dearest, fastest, slowest] = [byPrice.at(0), byPrice.at(-1), byHours.at(0), byHours.at(-1)];
    expect([group(claim, 5), group(claim, 6)]).toEqual([cheapest?.chip, dearest?.chip]);
    expect([group(claim, 2), group(claim, 3)]).toEqual([fastest?.chip, slowest?.chip]);
    expect(near(priceSpread, (dearest?.price ?? 0) / (cheapest?.price ?? 1), 0.02)).toBe(true);
    expect(near(hoursSpread, (slowest?.hours ?? 0) / (fastest?.hours ?? 1), 0.05)).toBe(true);
  });

  it("says where more GPUs do not cost more, as the cost-against-days chart's points are (it said 'so the cost goes up' above the TPU v6e's $12.8M at 1,024 GPUs and $12.7M at 2,048)", () => {
    const page = pageText(otherHardware.page);
    const points = tableRows(otherHardware.page, ['chip', 'gpus', 'gpusLabel', 'days', 'cost']).map((row) => ({
      chip: cell(row, 0).replace(/ †$/, ''),
      gpus: Number(cell(row, 1)),
      label: cell(row, 2),
      days: Number(cell(row, 3)),
      cost: Number(cell(row, 4)),
    }));
    expect(points.length).toBeGreaterThan(0);
    const steps = [...new Set(points.map((point) => point.chip))].flatMap((chip) => {
      const runs = points.filter((point) => point.chip === chip).sort((a, b) => a.gpus - b.gpus);
      return runs.flatMap((from, index) => {
        const to = runs[index + 1];
        return to === undefined ? [] : [{from, to}];
      });
    });
    const cheaper = steps.filter(({from, to}) => to.cost <= from.cost);
    const sentence = /With more GPUs a run finishes sooner.*?Figure 3 puts/.exec(page)?.[0] ?? '';
    expect(sentence).not.toBe('');
    for (const {from, to} of cheaper)
      expect(sentence).toContain(`the ${from.chip} from ${from.label} to ${to.label} GPUs`);
    if (cheaper.length === 0) expect(sentence).toContain('so the cost goes up.');
    for (const {from, to} of steps.filter((step) => step.to.days >= step.from.days))
      expect(sentence).toContain(`except the ${from.chip} from ${from.label} to ${to.label} GPUs`);
  });

  it("names in the cost-against-days caption everything its whiskers draw over: the price, goodput and the model's error", () => {
    const caption = /Figure 3\. Cost against days[^]*?filled points/.exec(pageText(otherHardware.page))?.[0] ?? '';
    expect(caption).toContain('the price, goodput, the model');
    expect(caption).not.toContain('(price and goodput)');
  });

  it("names in each training chart's caption all that its whiskers draw over: the model's error widened where a chip's matrix-multiply rate is not measured, and the memory model's error (they said 'the model's constants and its error')", () => {
    const whiskered = whiskeredCaptions(otherHardware.page);
    expect(whiskered.length).toBeGreaterThanOrEqual(3);
    for (const caption of whiskered) for (const part of TRAINING_DRAWS) expect(caption).toContain(part);
  });

  it("describes the days chart's uncalibrated bars as its caption and its spec draw them: pale, not hollow (the description said 'hollow bars are extrapolations')", () => {
    const page = pageText(otherHardware.page);
    expect(page).toContain('Pale bars have no calibration point');
    expect(page).toContain('with error bars; pale bars have no calibration point.');
    expect(page).not.toContain('hollow bars are extrapolations');
  });

  it("names in the cost-against-days chart's caption and text the GPU counts its points are at (both typed 'three GPU counts', '1,024, 2,048 and 4,096')", () => {
    const counts = [
      ...new Set(
        tableRows(otherHardware.page, ['chip', 'gpus', 'gpusLabel', 'days', 'cost']).map((row) => Number(cell(row, 1))),
      ),
    ].sort((a, b) => a - b);
    expect(counts.length).toBeGreaterThan(1);
    const listed = counts.map((gpus) => gpus.toLocaleString('en-US'));
    const words = `${listed.slice(0, -1).join(', ')} and ${String(listed.at(-1))} GPUs`;
    const page = pageText(otherHardware.page);
    expect(page).toContain(`Cost against days for the chips with a price, at ${words}, each on the best layout found`);
    expect(page).toContain(`puts every chip with a price at ${words}, each on its best layout found`);
  });

  it("says the costs printed run above or below a cost at DeepSeek's price as the price's median is above or below it (it said 'above' whatever the range)", () => {
    const claim =
      /whose most likely value is DeepSeek's assumed \$([\d.]+) (but|and) whose median is \$([\d.]+),.*?so they run (above|below|level with) a cost at \$([\d.]+)/.exec(
        pageText(otherHardware.page),
      );
    expect(claim, 'the price sentence').not.toBeNull();
    const [mode, median] = [groupNumber(claim, 1), groupNumber(claim, 3)];
    expect(group(claim, 2)).toBe(median === mode ? 'and' : 'but');
    expect(group(claim, 4)).toBe(median > mode ? 'above' : median < mode ? 'below' : 'level with');
  });

  it("says compute sets the pace only where it is most of every chip's step, as the range beside it is", () => {
    const claim =
      /(Compute sets the pace\.|Compute does not set the pace on every chip\.) On the best layout found every chip spends from ([\d.]+)% to ([\d.]+)% of its step computing/.exec(
        pageText(otherHardware.page),
      );
    expect(claim, 'the compute sentence').not.toBeNull();
    const lowest = groupNumber(claim, 2);
    expect(group(claim, 1)).toBe(
      lowest > 50 ? 'Compute sets the pace.' : 'Compute does not set the pace on every chip.',
    );
    // The range is the span of the breakdown table's compute column.
    const shares = tableRows(otherHardware.page, ['Accelerator', 'Best layout found', 'Step', 'Compute share']).map(
      (row) => printedNumber(cell(row, 3)),
    );
    expect(shares.length).toBeGreaterThan(1);
    expect(Math.min(...shares)).toBeCloseTo(lowest, 1);
  });

  it('says the correction for the bias slows or speeds the prediction as its sign is, and gives the out-of-sample figure DeepSeek-V3, reconstructed gives', () => {
    const page = pageText(otherHardware.page);
    const bias =
      /every prediction for a mixture of experts is (slowed|sped up) by the model's average error on published mixture-of-experts runs \(×([\d.]+)\)/.exec(
        page,
      );
    expect(bias).not.toBeNull();
    expect(group(bias, 1)).toBe(groupNumber(bias, 2) >= 1 ? 'slowed' : 'sped up');
    expect(page).toMatch(
      /the model predicts [\d.]+% (more|less) throughput than DeepSeek measured, the check DeepSeek-V3, reconstructed makes/,
    );
  });

  it('says the correction carries the match only when the uncorrected step is further from the reported days than the corrected median', () => {
    const page = pageText(otherHardware.page);
    const corrected =
      /is ([\d.]+)% (shorter|longer) than the run DeepSeek reported\. (What carries that match is a correction|A correction is applied, though the match does not rest on it):/.exec(
        page,
      );
    const uncorrected = /Before it, the model puts DeepSeek's step ([\d.]+)% (faster|slower) than measured/.exec(page);
    expect(corrected, 'the like-for-like sentence').not.toBeNull();
    expect(uncorrected, 'the uncorrected step').not.toBeNull();
    const ratio = 1 + ((group(uncorrected, 2) === 'faster' ? 1 : -1) * groupNumber(uncorrected, 1)) / 100;
    const uncorrectedDaysGap = Math.abs(1 / ratio - 1) * 100;
    expect(group(corrected, 3)).toBe(
      uncorrectedDaysGap > groupNumber(corrected, 1)
        ? 'What carries that match is a correction'
        : 'A correction is applied, though the match does not rest on it',
    );
  });

  it("describes DeepSeek's layout from the data, as the scenario states it", () => {
    const fixed = otherHardware.catalog.scenarios.get('deepseek-v3-layout-by-chip');
    expect(fixed).toBeDefined();
    expect(pageText(otherHardware.page)).toContain(
      `DeepSeek's layout (${describeParallelism(fixed && 'parallelism' in fixed ? fixed.parallelism : undefined)}, as published for the H800)`,
    );
  });
});

describe('Does efficiency reduce the need for compute?', () => {
  it('renders without a message', () => {
    expect(demand.messages).toEqual([]);
  });

  it("gives DeepSeek-V3's serving cost as the share of Llama's the factor below gives, and says when that factor's range includes no saving (it said 'for a fraction' over 0.95–4.4×)", () => {
    const page = pageText(demand.page);
    const factor = /a factor of ([\d.]+)× \(([\d.]+)–([\d.]+)×\)\. DeepSeek-V3 does at least as well/.exec(page);
    expect(factor).not.toBeNull();
    const intro =
      /DeepSeek-V3 serves a million output tokens for ([\d.]+)% of what Llama 3\.1 405B costs at the median( \(a factor of [^)]*\): its 5th to 95th percentiles include no saving\))?/.exec(
        page,
      );
    expect(intro, 'the opening gives the share').not.toBeNull();
    expect(near(groupNumber(intro, 1) / 100, 1 / groupNumber(factor, 1), 0.01)).toBe(true);
    expect(group(intro, 2) !== '').toBe(groupNumber(factor, 2) <= 1);
  });
});

describe('Does efficiency reduce the need for compute? (the elasticity against break-even)', () => {
  it('says the central elasticity range straddles the break-even point only where its percentiles lie either side of it', () => {
    const page = pageText(demand.page);
    const range = /The central range runs from ([\d.]+) to ([\d.]+) \(5th to 95th percentiles\)/.exec(page);
    const claim = /It (straddles|lies below|lies above) the break-even point \(([\d.]+)\)/.exec(page);
    expect(range).not.toBeNull();
    expect(claim).not.toBeNull();
    const [low, high, breakEven] = [groupNumber(range, 1), groupNumber(range, 2), groupNumber(claim, 2)];
    expect(group(claim, 1)).toBe(
      low < breakEven && breakEven < high ? 'straddles' : high <= breakEven ? 'lies below' : 'lies above',
    );
  });
});

describe('Inference economics', () => {
  it('renders without a message', () => {
    expect(inference.messages).toEqual([]);
  });

  it("names the model's error among what the cost chart's whiskers draw over, as the estimates draw it (it named the lengths and MTP acceptance alone)", () => {
    const caption =
      /Figure 1\. Cost per million output and input tokens[^]*?The horizontal axis/.exec(
        pageText(inference.page),
      )?.[0] ?? '';
    expect(caption).toContain("the model's error on published serving results");
    expect(caption).toContain('prices');
  });

  it("says the cost factor's range is wider, and reaches further down, than the throughput factor's as the two ranges are", () => {
    const page = pageText(inference.page);
    const claim =
      /costs ([\d.]+)× \(([\d.]+)–([\d.]+)×\) as much as DeepSeek-V3 per output token .*? That range is (wider|no wider) than the one of DeepSeek-V3's throughput per GPU against Llama's below \(([\d.]+)× \(([\d.]+)–([\d.]+)×\)\), and reaches (further down|no further down)/.exec(
        page,
      );
    expect(claim).not.toBeNull();
    const [costLow, costHigh] = [groupNumber(claim, 2), groupNumber(claim, 3)];
    const [throughputLow, throughputHigh] = [groupNumber(claim, 6), groupNumber(claim, 7)];
    expect(group(claim, 4)).toBe(costHigh / costLow > throughputHigh / throughputLow ? 'wider' : 'no wider');
    expect(group(claim, 8)).toBe(costLow < throughputLow ? 'further down' : 'no further down');
  });

  it("says MLA's cache per token is less or more than the other two as the three sizes printed are (it typed 'less than' beside the ratios)", () => {
    const page = pageText(inference.page);
    const sizes =
      /GPT-3 175B .*?elements per token, ([\d.]+ [kM]B) in BF16\. .*?Llama 3\.1 405B .*?, ([\d.]+ [kM]B)\. Multi-head latent attention \(MLA\), DeepSeek-V3: .*?, ([\d.]+ [kM]B), ([\d.]+)× (less|more) than Llama's and ([\d.]+)× (less|more) than GPT-3's/.exec(
        page,
      );
    expect(sizes, 'the three caches').not.toBeNull();
    const bytes = (index: number) => printedNumber(group(sizes, index).replace(' kB', 'k').replace(' MB', 'M'));
    const [gpt, llama, mla] = [bytes(1), bytes(2), bytes(3)];
    expect(group(sizes, 5)).toBe(llama >= mla ? 'less' : 'more');
    expect(group(sizes, 7)).toBe(gpt >= mla ? 'less' : 'more');
    expect(near(groupNumber(sizes, 4), Math.max(llama, mla) / Math.min(llama, mla), 0.02)).toBe(true);
    expect(near(groupNumber(sizes, 6), Math.max(gpt, mla) / Math.min(gpt, mla), 0.02)).toBe(true);
    const again = /and its cache per token is ([\d.]+)× (smaller|larger)/.exec(page);
    expect(again, "the cache set against Llama's once more").not.toBeNull();
    expect(group(again, 2)).toBe(llama >= mla ? 'smaller' : 'larger');
    expect(group(again, 1)).toBe(group(sizes, 4));
  });

  it("sets GPT-3's smaller model against its cache's smaller batch with 'yet' only where both are smaller, as the numbers printed are (it typed 'yet')", () => {
    const claim =
      /GPT-3 has ([\d.]+)B parameters to Llama 3\.1 405B's ([\d.]+)B, (yet|and) its multi-head cache fills the node after ([\d,.]+k?) sequences of about [\d.,]+k? tokens of context, against ([\d,.]+k?) sequences/.exec(
        pageText(inference.page),
      );
    expect(claim, 'the GPT-3 sentence').not.toBeNull();
    const [gptParams, llamaParams] = [groupNumber(claim, 1), groupNumber(claim, 2)];
    const [gptBatch, llamaBatch] = [printedNumber(group(claim, 4)), printedNumber(group(claim, 5))];
    expect(group(claim, 3)).toBe(gptBatch < llamaBatch === gptParams < llamaParams ? 'yet' : 'and');
  });

  it("describes DeepSeek's deployment with the units and the per-user speed its scenario models (it typed 4 and 18 nodes, 32 and 144 GPUs, 32 redundant experts and '21 tokens/s')", () => {
    const scenario = inference.catalog.scenarios.get('deepseek-v3-serving');
    const deployment = scenario && 'deployment' in scenario ? scenario.deployment : undefined;
    const node = inference.catalog.hardware.get('h800-sxm')?.scale_up.domain_gpus ?? Number.NaN;
    const page = pageText(inference.page);
    const units =
      /prefill units of (\d+) H800 nodes with expert parallelism over (\d+) GPUs, decode units of (\d+) nodes over (\d+) GPUs, attention data-parallel on every GPU, (\d+) redundant experts/.exec(
        page,
      );
    expect(units, 'the deployment').not.toBeNull();
    const [prefill, decode] = [deployment?.prefill?.gpus, deployment?.decode.gpus];
    expect([1, 2, 3, 4, 5].map((index) => groupNumber(units, index))).toEqual([
      (prefill ?? Number.NaN) / node,
      prefill,
      (decode ?? Number.NaN) / node,
      decode,
      deployment?.decode.redundant_experts,
    ]);
    const speed = /Decode holds ([\d.]+ tokens\/s) per user/.exec(page);
    expect(speed, 'the speed DeepSeek holds').not.toBeNull();
    expect(page).toContain(`DeepSeek's runs at ${group(speed, 1)} per user on nodes that follow the load`);
  });

  it("says the saving falls short of the active-parameter ratio only where the throughput factor's range does (it said 'far smaller' with no figure)", () => {
    const claim =
      /computes with ([\d.]+)B active parameters per token instead of ([\d.]+)B, .*? so the saving (falls short of|does not always fall short of) that ratio \(([\d.]+)×\): DeepSeek-V3 makes ([\d.]+)× \(([\d.]+)–([\d.]+)×\) Llama's output tokens per GPU/.exec(
        pageText(inference.page),
      );
    expect(claim, 'the saving sentence').not.toBeNull();
    const [deepseek, llama, printedRatio, high] = [
      groupNumber(claim, 1),
      groupNumber(claim, 2),
      groupNumber(claim, 4),
      groupNumber(claim, 7),
    ];
    expect(near(printedRatio, llama / deepseek, 0.01)).toBe(true);
    expect(group(claim, 3)).toBe(high < printedRatio ? 'falls short of' : 'does not always fall short of');
  });
});
