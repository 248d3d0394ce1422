import type {Element} from 'hast';
import {h} from 'hastscript';
import {explorerHref} from '../explorer-page.js';
import type {TemplateScope} from '../template-scope.js';
import {text} from './props.js';

/** The `scenario` prop of a figure: the scenario its numbers come from. */
export const scenarioProp = (component: string) =>
  text(`Expected \`scenario\` on <${component}> to be a scenario id`).optional();

/**
 * "Adjust these assumptions" under a figure that comes from a scenario: a
 * link to the explorer opened at that scenario. An unknown id is an error at
 * the figure, with the nearest known id.
 */
export function adjustLink(scope: TemplateScope, scenarioId: string): Element {
  scope.catalog.scenario(scenarioId);
  return h('p.figure-adjust', [h('a', {href: explorerHref(scenarioId)}, 'Adjust these assumptions')]);
}
