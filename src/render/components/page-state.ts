import type {Element} from 'hast';
import type {Point} from 'unist';

/** A chart a template asked for; drawn after the template has run (drawing is asynchronous). */
export interface ChartRequest {
  readonly spec: unknown;
  readonly place: Point | undefined;
  /** The figure to draw into. */
  readonly figure: Element;
  readonly number: number;
  readonly caption: string | undefined;
  /** Hydrated into a live chart in the browser (tooltips, sliders). */
  readonly interactive: boolean;
}

/** What one page's components record while the template runs, resolved once it has run. */
export interface PageState {
  readonly charts: ChartRequest[];
  /** Figure ids (charts included) → their numbers. */
  readonly figures: Map<string, number>;
  /** Figures in order, for numbering. */
  figureCount: number;
  /** `<Ref>` placeholders to fill with "Figure n" once every figure is known. */
  readonly refs: Array<{readonly to: string; readonly element: Element; readonly place: Point | undefined}>;
  /** `<Cite>` placeholders, numbered by first citation. */
  readonly citations: Array<{readonly id: string; readonly element: Element; readonly place: Point | undefined}>;
  /** `<Assumptions>` placeholders, filled with the inputs of every scenario the page used. */
  readonly assumptions: Array<{readonly element: Element; readonly place: Point | undefined}>;
  /** Scenario ids the page's numbers came from, in first-use order. */
  readonly scenariosUsed: Set<string>;
}

export function createPageState(): PageState {
  return {charts: [], figures: new Map(), figureCount: 0, refs: [], citations: [], assumptions: [], scenariosUsed: new Set()};
}
