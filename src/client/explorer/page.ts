import {z} from 'zod';
import {readCatalogJson, type LoadedCatalog} from '../../data/catalog-json.js';
import type {PriceRecord} from '../../data/schemas/hardware.js';
import {scenarioReferences} from '../../data/scenario-kinds.js';
import {unknownIdReason} from '../../diagnostics/nearest-id.js';
import {scenarioKind, sweepPointsOf} from '../../estimate/kinds.js';
import {startComputer, type Computer} from './compute.js';
import {append, el} from './dom.js';
import {scenarioFile, type EngineMessage, type EngineResult} from './engine.js';
import {scenarioForm, type FormContext, type FormField, type FormGroup} from './form-model.js';
import {renderFields} from './form-view.js';
import {fieldLabel, valueLabel} from './labels.js';
import {estimateFlags, renderEstimate, renderMessages} from './results-view.js';
import {kindSchema, type Schema} from './schema-fields.js';
import {draftScenario, READER_SOURCE, type ScenarioDraft} from './scenario-yaml.js';
import {
  POINT_KEYS,
  readState,
  withEdit,
  writeState,
  type ExplorerState,
  type Path,
  type PointInput,
  type PointKey,
} from './state.js';

/**
 * The explorer page: the reader picks a scenario (or arrives from a report's
 * "Adjust these assumptions"), changes any of its inputs, and sees the
 * estimate the CLI would print, with its ranges; the state is kept in the
 * address, and the scenario can be downloaded as a data file.
 */

/** What the build embeds in the page (src/render/explorer-page.ts): the sampling of its builds and the checked catalog. */
const embeddedSchema = z.object({
  sampling: z.object({samples: z.number().int().min(0), seed: z.number().int().min(0)}),
  catalog: z.unknown(),
});

interface Ui {
  readonly form: HTMLFormElement;
  readonly fields: HTMLElement;
  readonly scenario: HTMLSelectElement;
  readonly about: HTMLElement;
  readonly results: HTMLElement;
  readonly status: HTMLElement;
  readonly flags: HTMLElement;
  readonly problems: HTMLElement;
  readonly estimate: HTMLElement;
  readonly link: HTMLAnchorElement;
  readonly idInput: HTMLInputElement;
  readonly command: HTMLElement;
  readonly json: HTMLElement;
  readonly yaml: HTMLElement;
  readonly shareStatus: HTMLElement;
}

export function startPage(scriptUrl: string | undefined): void {
  const app = document.getElementById('explorer-app');
  const embedded = document.getElementById('explorer-data');
  if (!app || !embedded?.textContent) return;
  let parsed: z.infer<typeof embeddedSchema>;
  let catalog: LoadedCatalog;
  try {
    parsed = embeddedSchema.parse(JSON.parse(embedded.textContent));
    catalog = readCatalogJson(parsed.catalog);
  } catch (error) {
    app.replaceChildren(
      el('p', {className: 'explorer-flag explorer-flag-warning'}, [
        `The explorer cannot read its data: ${error instanceof Error ? error.message : String(error)}`,
      ]),
    );
    app.hidden = false;
    return;
  }
  const catalogText = JSON.stringify(parsed.catalog);
  new Explorer(app, catalog, parsed.sampling, startComputer(scriptUrl, catalogText, catalog));
}

class Explorer {
  private readonly ui: Ui;
  private state: ExplorerState = {scenario: undefined, point: {}, edits: []};
  private base!: Readonly<Record<string, unknown>>;
  private schema!: Schema;
  private draft!: ScenarioDraft;
  private ignored: string[] = [];
  private computer: Computer | undefined;
  /** The latest request's number; a result is drawn only when it is the latest's. */
  private revision = 0;
  private running = false;
  private queued = false;
  /** When the reader last changed something (for the redraw time the bench reports). */
  private changedAt = 0;

  constructor(
    private readonly app: HTMLElement,
    private readonly catalog: LoadedCatalog,
    private readonly sampling: {readonly samples: number; readonly seed: number},
    computer: Promise<Computer>,
  ) {
    this.ui = this.layout();
    this.readAddress();
    // The page is usable at once; results come when the computer is ready.
    document.getElementById('explorer-static')?.setAttribute('hidden', '');
    app.hidden = false;
    window.addEventListener('popstate', () => this.readAddress());
    void computer.then((ready) => {
      this.computer = ready;
      this.ui.results.dataset.where = ready.where;
      this.compute();
    });
  }

  /** The page's parts, made once; the form and the results are redrawn inside them. */
  private layout(): Ui {
    const scenario = el('select', {id: 'explorer-scenario', name: 'scenario'});
    const groups = new Map<string, HTMLOptGroupElement>();
    for (const record of this.catalog.scenarios.values()) {
      let group = groups.get(record.kind);
      if (!group) {
        group = el('optgroup', {label: `${record.kind.charAt(0).toUpperCase()}${record.kind.slice(1)}`});
        groups.set(record.kind, group);
      }
      group.append(el('option', {value: record.id}, [record.name]));
    }
    scenario.append(...groups.values());
    scenario.addEventListener('change', () => {
      this.state = {scenario: scenario.value, point: {}, edits: []};
      history.pushState(null, '', `${location.pathname}${writeState(this.state)}`);
      this.load();
    });
    const form = el('form', {className: 'explorer-form', 'aria-labelledby': 'explorer-form-heading', novalidate: true});
    form.addEventListener('submit', (event) => event.preventDefault());
    const fields = el('div', {className: 'explorer-fields'});
    const about = el('p', {className: 'field-note', id: 'explorer-about'});
    const reset = el('button', {type: 'button', id: 'explorer-reset'}, ['Start again from the scenario']);
    reset.addEventListener('click', () => {
      this.state = {scenario: this.state.scenario, point: {}, edits: []};
      this.changed(true);
    });
    append(form, [
      el('h2', {id: 'explorer-form-heading'}, ['Assumptions']),
      el('p', {className: 'explorer-jump'}, [el('a', {href: '#explorer-results'}, ['Go to the estimate'])]),
      el('div', {className: 'field'}, [el('label', {for: 'explorer-scenario'}, ['Scenario']), scenario]),
      about,
      fields,
      el('p', {}, [reset]),
    ]);

    const status = el('p', {id: 'explorer-status', role: 'status'});
    const flags = el('div', {id: 'explorer-flags'});
    const problems = el('div', {id: 'explorer-problems'});
    const estimate = el('div', {id: 'explorer-estimate'});
    const link = el('a', {id: 'explorer-link', href: ''}, ['Link to this view']);
    const copy = el('button', {type: 'button', id: 'explorer-copy'}, ['Copy the link']);
    const shareStatus = el('span', {id: 'explorer-share-status', role: 'status'});
    copy.addEventListener('click', () => {
      const done = (text: string) => (shareStatus.textContent = text);
      if (!navigator.clipboard) done('Copy the link from the address bar.');
      else
        navigator.clipboard.writeText(location.href).then(
          () => done('Link copied.'),
          () => done('Copy the link from the address bar.'),
        );
    });
    const idInput = el('input', {
      id: 'explorer-id',
      name: 'id',
      type: 'text',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    idInput.addEventListener('change', () =>
      this.edit(['id'], idInput.value.trim() === '' ? null : idInput.value.trim(), false),
    );
    const download = el('button', {type: 'button', id: 'explorer-download'}, ['Download as scenario (YAML)']);
    download.addEventListener('click', () => this.download());
    const command = el('code', {id: 'explorer-command'});
    const json = el('pre', {id: 'explorer-json', className: 'explorer-code'});
    const yaml = el('pre', {id: 'explorer-yaml', className: 'explorer-code'});
    const results = el(
      'section',
      {id: 'explorer-results', className: 'explorer-results', 'aria-labelledby': 'explorer-results-heading'},
      [
        el('h2', {id: 'explorer-results-heading'}, ['Estimate']),
        status,
        flags,
        problems,
        estimate,
        el('h3', {}, ['Share and reuse']),
        el('p', {}, [link, ' ', copy, ' ', shareStatus]),
        el('div', {className: 'field'}, [el('label', {for: 'explorer-id'}, ['Scenario id of the download']), idInput]),
        el('p', {}, [download]),
        el('p', {}, ['The CLI prints the same estimate: ', command]),
        el('details', {}, [
          el('summary', {}, ['The estimate as JSON, as tradeoffs estimate --json prints it']),
          el('div', {className: 'table-scroll'}, [json]),
        ]),
        el('details', {}, [
          el('summary', {}, ['The scenario as YAML, as the download writes it']),
          el('div', {className: 'table-scroll'}, [yaml]),
        ]),
      ],
    );
    this.app.replaceChildren(el('div', {className: 'explorer-layout'}, [form, results]));
    return {
      form,
      fields,
      scenario,
      about,
      results,
      status,
      flags,
      problems,
      estimate,
      link,
      idInput,
      command,
      json,
      yaml,
      shareStatus,
    };
  }

  /** Take the state from the address and show it. */
  private readAddress(): void {
    const {state, ignored} = readState(location.search);
    this.state = state;
    this.ignored = ignored;
    this.load();
  }

  /** Show the state's scenario from scratch: the form, then the estimate. */
  private load(): void {
    let id = this.state.scenario;
    const written = id === undefined ? undefined : this.catalog.writtenScenarios.get(id);
    if (!written) {
      if (id !== undefined) this.ignored.push(unknownIdReason('scenario', id, this.catalog.scenarios.keys()));
      id = [...this.catalog.scenarios.values()].find((record) => scenarioKind(record.kind).outputs)?.id;
      id ??= [...this.catalog.scenarios.keys()][0];
      this.state = {scenario: id, point: {}, edits: []};
    }
    const base = id === undefined ? undefined : this.catalog.writtenScenarios.get(id);
    const schema = base && kindSchema(String(base.kind));
    if (!base || !schema || id === undefined) {
      this.ui.status.textContent = 'There is no scenario to explore in this site’s data.';
      return;
    }
    this.base = base;
    this.schema = schema;
    this.ui.scenario.value = id;
    this.ui.about.textContent = typeof base.description === 'string' ? base.description : '';
    this.changed(true);
  }

  /** The reader changed a field: keep the edit (unless it writes what the scenario has) and recompute. */
  private edit(path: Path, value: unknown, redraw: boolean): void {
    this.state = {...this.state, edits: withEdit(this.state.edits, {path, value}, valueAt(this.base, path))};
    this.changed(redraw);
  }

  private setPoint(key: PointKey, value: string): void {
    const point: PointInput = {...this.state.point};
    if (value === '') delete point[key];
    else point[key] = value;
    this.state = {...this.state, point};
    this.changed(false);
  }

  private changed(redrawForm: boolean): void {
    this.changedAt = performance.now();
    this.draft = draftScenario(this.base, this.state.edits, this.schema);
    const query = writeState(this.state);
    if (location.search !== query) history.replaceState(null, '', `${location.pathname}${query}`);
    if (redrawForm) this.drawForm();
    this.ui.link.href = `${location.pathname.split('/').pop() ?? ''}${query}`;
    if (document.activeElement !== this.ui.idInput) this.ui.idInput.value = this.draft.id;
    this.ui.yaml.textContent = this.draft.text;
    this.ui.command.textContent = this.command();
    this.compute();
  }

  private drawForm(): void {
    const focused = document.activeElement?.id;
    const context: FormContext = {
      hardware: [...this.catalog.hardware.values()].map(({id, name}) => ({id, name})),
      models: [...this.catalog.models.values()].map(({id, name}) => ({id, name})),
      readerSource: READER_SOURCE,
    };
    const fields = scenarioForm(this.schema, this.draft.value, context);
    const events = {
      edit: (path: Path, value: unknown, redraw: boolean) => this.edit(path, value, redraw),
      initialOf: (_field: FormField, group: FormGroup) => this.initialOf(group),
    };
    this.ui.fields.replaceChildren(...this.pointControls(), ...renderFields(fields, events));
    this.priceNote();
    if (focused) document.getElementById(focused)?.focus();
  }

  /**
   * Under the price, when it is not the chip's: a scenario's price is for its own chip, and on a sweep
   * point's chip the catalog price applies (src/estimate/cost.ts); a reader who changed the chip is
   * offered that chip's catalog price.
   */
  private priceNote(): void {
    const group = this.ui.fields.querySelector('[data-path="cost"]');
    const own = this.ownChip(this.draft.value);
    const chip = this.chipId();
    if (!group || own === undefined || chip === undefined) return;
    const name = (id: string) => this.catalog.hardware.get(id)?.name ?? id;
    const price = rentalPrice(this.catalog.hardware.get(chip)?.price);
    const listed = price
      ? `$${price.usd_per_gpu_hour} per GPU-hour (${price.as_of}: ${price.source})`
      : 'none: the estimate has no cost there';
    const note = el('p', {className: 'field-note explorer-price-note'});
    if (chip !== own) {
      note.append(
        `On the sweep point's ${name(chip)}, the estimate takes its catalog price, ${listed}, as the reports do; the price below is for the scenario's own ${name(own)}.`,
      );
    } else if (own !== this.ownChip(this.base) && this.draft.value.cost !== undefined) {
      note.append(
        `The price below was stated for ${name(this.ownChip(this.base) ?? '')}. The catalog price of ${name(own)}: ${listed}. `,
      );
      if (price) {
        const use = el('button', {type: 'button', id: 'explorer-use-catalog-price'}, ['Use the catalog price']);
        use.addEventListener('click', () =>
          this.edit(
            ['cost'],
            {
              usd_per_gpu_hour: price.usd_per_gpu_hour,
              source: `${name(own)} catalog price (${price.as_of}): ${price.source}`,
            },
            true,
          ),
        );
        note.append(use);
      }
    } else {
      return;
    }
    group.querySelector('legend')?.after(note);
  }

  /** The value a group the reader adds starts with: its defaults, and for a price, the chip's catalog price with its source. */
  private initialOf(group: FormGroup): Record<string, unknown> {
    const initial: Record<string, unknown> = {...group.initial};
    const fields = new Set(group.fields.map((each) => each.key));
    if (fields.has('usd_per_gpu_hour')) {
      const chip = this.catalog.hardware.get(this.chipId() ?? '');
      const price = rentalPrice(chip?.price);
      if (chip && price) {
        initial.usd_per_gpu_hour = price.usd_per_gpu_hour;
        initial.source = `${chip.name} catalog price (${price.as_of}): ${price.source}`;
      }
    }
    return initial;
  }

  /** The chip the scenario runs on: the sweep point's, else the scenario's own. */
  private chipId(): string | undefined {
    return this.state.point.hardware ?? this.ownChip(this.draft.value);
  }

  /** The chip a scenario names as its own, at the path its kind names it (scenarioReferences, read from the checked scenario it started from). */
  private ownChip(scenario: Readonly<Record<string, unknown>>): string | undefined {
    const checked = this.catalog.scenarios.get(String(this.base.id));
    const path = checked && scenarioReferences(checked)?.hardware.path;
    const id = path && valueAt(scenario, path);
    return typeof id === 'string' ? id : undefined;
  }

  /** Selects for the scenario's sweep points, as the reports show them: the options `tradeoffs estimate` takes. */
  private pointControls(): HTMLElement[] {
    const nominal = this.catalog.scenarios.get(String(this.base.id));
    if (!nominal) return [];
    const points = sweepPointsOf(nominal);
    const controls: HTMLElement[] = [];
    for (const key of POINT_KEYS) {
      const values = [...new Set(points.flatMap((point) => (point[key] === undefined ? [] : [String(point[key])])))];
      const chosen = this.state.point[key];
      if (chosen !== undefined && !values.includes(chosen)) values.push(chosen);
      if (values.length === 0) continue;
      const id = `explorer-at-${key}`;
      const select = el('select', {id, name: `at.${key}`});
      select.append(el('option', {value: ''}, ["The scenario's own"]));
      for (const value of values) {
        const label = key === 'hardware' ? (this.catalog.hardware.get(value)?.name ?? value) : valueLabel([key], value);
        const option = el('option', {value}, [label]);
        option.selected = value === chosen;
        select.append(option);
      }
      select.addEventListener('change', () => this.setPoint(key, select.value));
      controls.push(
        el('div', {className: 'field'}, [
          el('label', {for: id}, [`${fieldLabel([key])} in the sweep`]),
          select,
          chosen === undefined
            ? undefined
            : el('p', {className: 'field-note'}, ['Overrides the scenario’s own, below.']),
        ]),
      );
    }
    if (controls.length === 0) return [];
    return [
      el('fieldset', {className: 'field-group', 'data-path': '@point'}, [
        el('legend', {}, ["A point of the reports' sweep"]),
        el('p', {className: 'field-note'}, [
          'A point of the scenario’s sweep overrides its own chip, GPU count, precision or technique set, as the reports’ charts and the options of tradeoffs estimate (--hardware, --gpus, --precision, --technique) do.',
        ]),
        ...controls,
      ]),
    ];
  }

  /** The command that prints the same estimate. */
  private command(): string {
    const quote = (text: string) => (/^[A-Za-z0-9._/-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);
    const options = POINT_KEYS.flatMap((key) => {
      const value = this.state.point[key];
      return value === undefined ? [] : [`--${key}`, quote(value)];
    });
    const edited = this.draft.id !== this.base.id;
    const run = ['tradeoffs', 'estimate', quote(this.draft.id), ...options, '--json'].join(' ');
    return edited ? `${run} (with the download saved as ${scenarioFile(this.draft.id)})` : run;
  }

  private compute(): void {
    this.revision++;
    this.ui.results.dataset.pending = 'true';
    this.ui.results.setAttribute('aria-busy', 'true');
    if (!this.computer) {
      this.ui.status.textContent = 'Starting the estimator…';
      return;
    }
    if (this.running) {
      this.queued = true;
      return;
    }
    void this.launch(this.computer);
  }

  private async launch(computer: Computer): Promise<void> {
    this.running = true;
    const revision = this.revision;
    let result: EngineResult | undefined;
    let failure: string | undefined;
    try {
      result = await computer.run({
        file: scenarioFile(this.draft.id),
        text: this.draft.text,
        point: this.state.point,
        sampling: this.sampling,
      });
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    this.running = false;
    if (revision === this.revision) this.draw(result, failure, revision, computer);
    if (this.queued || revision !== this.revision) {
      this.queued = false;
      void this.launch(computer);
    }
  }

  private draw(
    result: EngineResult | undefined,
    failure: string | undefined,
    revision: number,
    computer: Computer,
  ): void {
    const {ui} = this;
    const errors = result?.messages.filter((message) => message.severity === 'error') ?? [];
    ui.flags.replaceChildren();
    ui.problems.replaceChildren();
    this.markFields(result?.messages ?? []);
    if (failure || !result) {
      ui.status.textContent = `The estimator failed: ${failure ?? 'no result'}.`;
      ui.estimate.replaceChildren();
      ui.json.textContent = '';
    } else {
      if (result.messages.length > 0 || this.ignored.length > 0 || this.draft.skipped.length > 0) {
        const notes = [
          ...this.ignored.map((text) => `Ignored in the address: ${text}`),
          ...this.draft.skipped.map(
            (edit) => `Could not set ${edit.path.join('.')}: the field above it is not a group`,
          ),
        ];
        ui.problems.append(
          el('h3', {}, [errors.length > 0 ? 'Problems: as tradeoffs check reports them' : 'Warnings']),
          renderMessages(result.messages),
          ...notes.map((note) => el('p', {className: 'explorer-flag explorer-flag-note'}, [note])),
        );
      }
      if (result.estimate && result.json) {
        const precision = this.state.point.precision ?? this.draft.value.precision;
        ui.flags.append(...estimateFlags(result.estimate, typeof precision === 'string' ? precision : undefined));
        ui.estimate.replaceChildren(...renderEstimate(result.estimate));
        ui.json.textContent = result.json;
        const where =
          computer.where === 'worker'
            ? 'in a Web Worker'
            : `on the page, not in a worker (${computer.why ?? 'workers are not available'})`;
        ui.status.textContent = `Estimated with ${this.sampling.samples.toLocaleString('en-US')} Monte Carlo samples, seed ${this.sampling.seed}, as the site was built, in ${Math.round(result.elapsedMs).toLocaleString('en-US')} ms ${where}.`;
      } else {
        ui.estimate.replaceChildren();
        ui.json.textContent = '';
        ui.status.textContent = `No estimate: ${errors.length === 1 ? 'one problem' : `${errors.length} problems`} below, as tradeoffs check would report them for ${scenarioFile(this.draft.id)}.`;
      }
    }
    ui.results.dataset.revision = String(revision);
    ui.results.dataset.state = result?.estimate ? 'estimate' : 'problems';
    ui.results.dataset.computeMs = result ? result.elapsedMs.toFixed(1) : '';
    ui.results.dataset.redrawMs = (performance.now() - this.changedAt).toFixed(1);
    ui.results.removeAttribute('aria-busy');
    if (!this.queued) ui.results.dataset.pending = 'false';
  }

  /** Mark the controls a problem is at (aria-invalid, the message beside them), clearing the last marks. */
  private markFields(messages: readonly EngineMessage[]): void {
    for (const old of this.ui.form.querySelectorAll('.field-error')) old.remove();
    for (const old of this.ui.form.querySelectorAll('[aria-invalid]')) {
      old.removeAttribute('aria-invalid');
      old.removeAttribute('aria-describedby');
    }
    messages.forEach((message, index) => {
      if (!message.path) return;
      let holder: Element | null = null;
      for (let length = message.path.length; length >= 1 && !holder; length--)
        holder = this.ui.fields.querySelector(`[data-path="${message.path.slice(0, length).join('.')}"]`);
      if (!holder) return;
      const id = `explorer-problem-${index}`;
      const note = el('p', {className: `field-error field-error-${message.severity}`, id}, [message.reason]);
      const control = holder.querySelector('input, select') ?? undefined;
      if (holder.tagName === 'FIELDSET') holder.querySelector('legend')?.after(note);
      else holder.append(note);
      if (control && message.severity === 'error') {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', id);
      }
    });
  }

  private download(): void {
    const blob = new Blob([this.draft.text], {type: 'application/yaml'});
    const url = URL.createObjectURL(blob);
    const anchor = el('a', {href: url, download: `${this.draft.id}.yaml`, hidden: true});
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    // Kept a while: a download that starts later still finds it.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    this.ui.shareStatus.textContent = `Downloaded ${this.draft.id}.yaml: save it in data/scenarios/ and run tradeoffs check.`;
  }
}

function valueAt(record: unknown, path: Path): unknown {
  let value = record;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Object.hasOwn(value, segment) ? (value as Record<string | number, unknown>)[segment] : undefined;
  }
  return value;
}

/** A chip's catalog price when it is a price per GPU-hour (a rental quote or an assumed price), not the cost of owning it. */
function rentalPrice(price: PriceRecord | undefined): Extract<PriceRecord, {usd_per_gpu_hour: number}> | undefined {
  return price && price.kind !== 'owned' ? price : undefined;
}
