import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type {Root} from 'hast';
import {loadCheckedCatalog} from '../../src/check/check-catalog.js';
import {Diagnostics} from '../../src/diagnostics/diagnostics.js';
import {prepareTemplate} from '../../src/render/prepare-template.js';
import {renderReport} from '../../src/render/render-report.js';
import {createTemplateScope} from '../../src/render/template-scope.js';
import {REPO_ROOT} from './project.js';

/** One of the bundled templates rendered against the bundled data, with the messages it gave. */
export interface RenderedPage {
  readonly page: Root;
  readonly messages: string[];
  readonly catalog: Awaited<ReturnType<typeof loadCheckedCatalog>>;
}

/** Render `template` (a path under the repository, e.g. `templates/methodology.mdx`); throws if it does not render. */
export async function renderBundledPage(template: string): Promise<RenderedPage> {
  const diagnostics = new Diagnostics();
  const catalog = await loadCheckedCatalog(REPO_ROOT, diagnostics);
  const text = await readFile(path.join(REPO_ROOT, template), 'utf8');
  const prepared = await prepareTemplate(template, text, diagnostics);
  const report = prepared && (await renderReport(prepared, createTemplateScope(catalog), catalog, diagnostics));
  const messages = diagnostics.files.flatMap((file) => file.messages.map(String));
  if (!report) throw new Error(`${template} did not render: ${messages.join('\n')}`);
  return {page: report.content, messages, catalog};
}
