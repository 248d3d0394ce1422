// Every component checks its props with a zod schema (src/render/components/props.ts);
// a wrong prop is an error at the element, worded as before the schemas.
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../../src/data/catalog.js';
import {loadCheckedCatalog} from '../../../src/check/check-catalog.js';
import {Diagnostics} from '../../../src/diagnostics/diagnostics.js';
import {prepareTemplate} from '../../../src/render/prepare-template.js';
import {renderReport} from '../../../src/render/render-report.js';
import {createTemplateScope} from '../../../src/render/template-scope.js';
import {REPO_ROOT} from '../../helpers/project.js';

const BASE = path.join(REPO_ROOT, 'test', 'fixtures', 'bad-inputs', '_base');
const FRONTMATTER = '---\ntitle: Props\nsummary: Component props.\n---\n\n';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCheckedCatalog(BASE, new Diagnostics());
});

/** The messages of rendering `body` (at line 6 of the template), as `line:column reason rule`, and the report. */
async function render(body: string) {
  const diagnostics = new Diagnostics();
  const prepared = await prepareTemplate('templates/props.mdx', `${FRONTMATTER}${body}\n`, diagnostics);
  const report = prepared && (await renderReport(prepared, createTemplateScope(catalog), catalog, diagnostics));
  const messages = diagnostics.files.flatMap((file) =>
    file.messages.map((message) => {
      const place = message.place && 'start' in message.place ? message.place.start : message.place;
      return `${place?.line}:${place?.column} ${message.reason} ${message.ruleId}`;
    }),
  );
  return {report, messages};
}

describe('component props', () => {
  it.each([
    [
      '<Callout kind="danger">x</Callout>',
      'Unknown callout kind `danger`, expected one of note, key, warning template-error',
    ],
    ['<Callout title={3}>x</Callout>', 'Expected `title` on <Callout> to be text template-error'],
    ['<Cite />', 'Missing `id` on <Cite>, expected a source id from data/sources.yaml template-error'],
    ['<Figure id={1} caption="c">x</Figure>', 'Expected `id` on <Figure> to be text template-error'],
    ['<Figure>x</Figure>', 'Missing `caption` on <Figure>, expected text template-error'],
    ['<Ref to={1} />', 'Missing `to` on <Ref>, expected a figure id template-error'],
    ['<Chart interactive="yes" spec={{}} />', 'Expected `interactive` on <Chart> to be true or false chart-error'],
    ['<Chart caption="c" />', 'Missing `spec` on <Chart>, expected a Vega-Lite spec object chart-error'],
    ['<Chart spec={{}} description={2} />', 'Expected `description` on <Chart> to be text chart-error'],
    ['<Metric value={1} />', 'Expected `unit` on <Metric> to be text template-error'],
    [
      '<Metric unit="USD" range={{p5: 1, p50: 2}} />',
      'Expected `range` on <Metric> to be {p5, p50, p95} of finite numbers template-error',
    ],
    [
      '<Metric unit="USD" value={Infinity} />',
      'Expected `value` on <Metric> to be a finite number, got Infinity template-error',
    ],
    ['<Metric unit="USD" value="3" />', 'Expected `value` on <Metric> to be a finite number, got 3 template-error'],
    [
      '<Estimate scenario={1} output="gpuHours" />',
      'Expected `scenario` on <Estimate> to be a scenario id template-error',
    ],
    [
      '<Estimate scenario="tiny" output="gpuHours" gpus="8" />',
      'Expected `gpus` on <Estimate> to be a number template-error',
    ],
    [
      '<Estimate scenario="tiny" output="gpuHours" hardware={1} />',
      'Expected `hardware` on <Estimate> to be text template-error',
    ],
    [
      '<Estimate scenario="tiny" output="gpuHour" />',
      'Unknown output `gpuHour` on <Estimate> for a training scenario, did you mean `gpuHours`? template-error',
    ],
    ['<Estimate scenario="tiny" />', 'Unknown output `undefined` on <Estimate> for a training scenario'],
    [
      '<ScenarioTable outputs={["gpuHours"]} />',
      'Missing `scenario` on <ScenarioTable>, expected a scenario id template-error',
    ],
    [
      '<ScenarioTable scenario="tiny" outputs={[]} />',
      'Expected `outputs` on <ScenarioTable> to be a list of output names',
    ],
    [
      '<ScenarioTable scenario="tiny" outputs={[1]} />',
      'Expected `outputs` on <ScenarioTable> to be a list of output names',
    ],
    [
      '<ScenarioTable scenario="tiny" outputs={["gpuHour"]} />',
      'Unknown output `gpuHour` on <ScenarioTable> for a training scenario, did you mean `gpuHours`?',
    ],
    ['<KeyFigures items={[]} />', 'Expected `items` on <KeyFigures> to be a list of {scenario, output, label?}'],
    ['<KeyFigures items={[null]} />', 'Expected each <KeyFigures> item to have a `scenario` and an `output`'],
    [
      '<KeyFigures items={[{scenario: "tiny"}]} />',
      'Expected each <KeyFigures> item to have a `scenario` and an `output`',
    ],
    [
      '<KeyFigures items={[{scenario: "tiny", output: "gpuHours", gpus: "8"}]} />',
      'Expected `gpus` on <KeyFigures> to be a number',
    ],
    ['<Assumptions scenario="tiny" />', '<Assumptions /> takes no props: it lists every scenario the page used'],
    [
      '<Figure caption="c" scenario={1}>x</Figure>',
      'Expected `scenario` on <Figure> to be a scenario id template-error',
    ],
    ['<Chart spec={{}} scenario={1} />', 'Expected `scenario` on <Chart> to be a scenario id chart-error'],
    ['<Figure caption="c" scenario="tiyn">x</Figure>', 'Unknown scenario id `tiyn`, did you mean `tiny`? unknown-id'],
  ])('%s', async (body, expected) => {
    const {messages} = await render(body);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(`6:1 ${expected}`);
  });

  it('renders what valid props ask for, leaving out a caption or label that is not text', async () => {
    const {report, messages} = await render(
      [
        '<Callout kind="key" title="T">x</Callout>',
        '<Callout kind={null}>y</Callout>',
        '<Metric unit="USD" range={{p5: 1, p50: 2, p95: 3}} value="ignored with a range" />',
        '<ScenarioTable scenario="tiny" outputs={["gpuHours"]} caption={3} />',
        '<KeyFigures items={[{scenario: "tiny", output: "gpuHours", label: 4}]} />',
      ].join('\n\n'),
    );
    expect(messages).toEqual([]);
    const html = JSON.stringify(report?.content);
    expect(html).toContain('callout-key');
    expect(html).toContain('callout-note');
    expect(html).not.toContain('"caption"');
    expect(report?.numbers.map((number) => number.label)).toEqual(['GPU-hours']);
  });

  it('links a figure that names its scenario to the explorer opened at that scenario', async () => {
    const {report, messages} = await render(
      '<Figure caption="c" scenario="tiny">x</Figure>\n\n<Figure caption="d">y</Figure>',
    );
    expect(messages).toEqual([]);
    const html = JSON.stringify(report?.content);
    expect(html.match(/Adjust these assumptions/g)).toHaveLength(1);
    expect(html).toContain('"href":"../explore.html?scenario=tiny"');
  });
});
