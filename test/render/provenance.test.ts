import path from 'node:path';
import {toHtml} from 'hast-util-to-html';
import {beforeAll, describe, expect, it} from 'vitest';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import type {Catalog} from '../../src/data/catalog.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {DEFAULT_SOURCE, exactNumber} from '../../src/render/assumptions-table.js';
import {formatQuantity, formatRange} from '../../src/render/format-quantity.js';
import {countParameters} from '../../src/estimate/parameters.js';
import {prepareTemplate} from '../../src/render/prepare-template.js';
import {renderReport} from '../../src/render/render-report.js';
import {createTemplateScope} from '../../src/render/template-scope.js';
import {loadMemoryCatalog} from '../helpers/memory-data.js';
import {REPO_ROOT} from '../helpers/project.js';

/** How a page states where its numbers come from, and prints them: the provenance slips of issue #16. */

const FRONTMATTER = '---\ntitle: Provenance\nsummary: How numbers print.\n---\n\n';

async function html(body: string, catalog: Catalog): Promise<{html: string; messages: string[]}> {
  const diagnostics = new Diagnostics();
  const prepared = await prepareTemplate('templates/provenance.mdx', `${FRONTMATTER}${body}\n`, diagnostics);
  const report = prepared && (await renderReport(prepared, createTemplateScope(catalog), catalog, diagnostics));
  return {
    html: report ? toHtml(report.content) : '',
    messages: diagnostics.files.flatMap((file) => file.messages.map(String)),
  };
}

let base: Catalog;
beforeAll(async () => {
  base = await loadCheckedCatalog(path.join(REPO_ROOT, 'test', 'fixtures', 'bad-inputs', '_base'), new Diagnostics());
});

describe('an expression or inline component inside a paragraph', () => {
  it('stays in its sentence when it sits alone on a line of the paragraph', async () => {
    const {html: page, messages} = await html(
      ['Without DualPipe it then needs', "{format(0.079, 'fraction')}", 'more GPU-hours than before.'].join('\n'),
      base,
    );
    expect(messages).toEqual([]);
    expect(page).toContain('<p>Without DualPipe it then needs\n7.9%\nmore GPU-hours than before.</p>');
  });

  it('stays inline for a component, at the start or the end of a paragraph too', async () => {
    const {html: page} = await html(
      ['<Metric value={2} unit="USD" />', 'is the price.', '', 'The price is', '<Metric value={3} unit="USD" />'].join(
        '\n',
      ),
      base,
    );
    expect(page).toContain('<p><span class="metric">$2</span>\nis the price.</p>');
    expect(page).toContain('<p>The price is\n<span class="metric">$3</span></p>');
  });

  it('stays a block when blank lines set it apart, as a block component does', async () => {
    const {html: page} = await html(['Before.', '', "{'alone'}", '', 'After.'].join('\n'), base);
    expect(page).toMatch(/<p>Before\.<\/p>\s*alone\s*<p>After\.<\/p>/);
    // A block component alone on its line, next to a paragraph, is not pulled into it.
    const callout = await html(['Before.', '<Callout kind="note">', 'Aside.', '</Callout>'].join('\n'), base);
    expect(callout.html).toMatch(/<p>Before\.<\/p>\s*<aside/);
  });
});

describe('percentages', () => {
  it('print with one precision whatever their size, ends of ranges included', () => {
    expect(formatQuantity(0.0361, 'fraction')).toBe('3.6%');
    expect(formatQuantity(0.3894, 'fraction')).toBe('38.9%');
    expect(formatQuantity(0.00358, 'fraction')).toBe('0.4%');
    expect(formatQuantity(0.0721, 'fraction')).toBe('7.2%');
    expect(formatQuantity(-0.139, 'fraction')).toBe('−13.9%');
    expect(formatQuantity(1, 'fraction')).toBe('100%');
    expect(formatRange({p5: 0.352, p50: 0.389, p95: 0.421}, 'fraction')).toBe('38.9% (35.2–42.1%)');
    // Every percentage on a page has at most one decimal, except a share that is not 0 and would read 0%: it
    // takes the decimals that show it (red team 14: a goodput of 1e-4 read 0%).
    for (const value of [0.0005, 0.0361, 0.12345, 0.5, 0.99999, 2.5])
      expect(formatQuantity(value, 'fraction')).toMatch(/^-?\d+(\.\d)?%$/);
    expect(formatQuantity(0.0001, 'fraction')).toBe('0.01%');
  });
});

describe('the assumptions behind a page', () => {
  const SCENARIO = `id: run
name: A run
kind: training
model: dense
cluster: {hardware: chip, gpus: 64}
workload: {tokens: 14.8e12, seq_len: 4096, global_batch_tokens: 62914560}
precision: bf16
parallelism: {tp: 2, pp: 2, source: "a layout"}
recipe: {moment_bytes: 2, source: "BF16 moments, the report §3.3.3"}
`;

  it('print an integer input exactly, and never give a default the citation of its group', async () => {
    const {catalog} = await loadMemoryCatalog({
      'data/scenarios/run.yaml': SCENARIO.replace('seq_len: 4096', 'seq_len: 1048576'),
    });
    const {html: page, messages} = await html(
      '<Estimate scenario="run" output="gpuHours" />\n\n<Assumptions />',
      catalog,
    );
    expect(messages).toEqual([]);
    const row = (field: string) =>
      new RegExp(`<td><code>${field.replace('.', '\\.')}</code></td><td>([^<]*)</td><td>([^<]*)</td>`)
        .exec(page)
        ?.slice(1);
    expect(row('workload.global_batch_tokens')).toEqual(['62,914,560', '']);
    expect(row('workload.seq_len')).toEqual(['1,048,576', '']);
    expect(row('workload.tokens')).toEqual(['14,800,000,000,000', '']);
    expect(row('recipe.moment_bytes')).toEqual(['2', 'BF16 moments, the report §3.3.3']);
    // Features the data does not set take the tool's default (or what existed at the run's date,
    // techniques.yaml): shown, they say so, never with the citation of their group.
    for (const field of ['recipe.flash_attention', 'recipe.sequence_parallel', 'recipe.overlap_data_parallel']) {
      const printed = row(field);
      if (printed !== undefined) expect(printed[1], field).toBe(DEFAULT_SOURCE);
    }
  });

  it('prints numbers as the data gives them', () => {
    expect(exactNumber(62_914_560)).toBe('62,914,560');
    expect(exactNumber(2 ** 20)).toBe('1,048,576');
    expect(exactNumber(0.3894)).toBe('0.3894');
    expect(exactNumber(1402.6)).toBe('1402.6');
  });
});

describe("a model's size on a page", () => {
  it("is the count its estimates use, computed from the architecture, not the publisher's rounded figure", async () => {
    const {html: page} = await html("{format(parametersOf('llama-3.1-405b').totalParams, 'params')}", base);
    const model = base.models.get('llama-3.1-405b');
    if (!model) throw new Error('the base fixture has llama-3.1-405b');
    expect(page).toContain(formatQuantity(countParameters(model).totalParams, 'params'));
    expect(countParameters(model).totalParams).not.toBe(model.declared?.params_total);
  });
});

describe('a factor between two estimates on a page', () => {
  it('prints as a multiplier, with no range when neither side has anything uncertain', async () => {
    const {html: page, messages} = await html(
      "{formatFactor(factor({scenario: 'tiny'}, {scenario: 'tiny', point: {gpus: 8192}}, 'wallClockDays'))}",
      base,
    );
    expect(messages).toEqual([]);
    expect(page).toContain('0.5×');
    expect(page).not.toContain('0.5× (');
  });

  it('names the output a scenario does not have', async () => {
    const {messages} = await html("{formatFactor(factor({scenario: 'tiny'}, {scenario: 'tiny'}, 'speed'))}", base);
    expect(messages.join('\n')).toMatch(/`speed` is not an output of training scenarios/);
  });
});
