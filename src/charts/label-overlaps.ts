/**
 * Labels that collide with the marks of their chart: a text mark drawn over a
 * rule (a reference line, a whisker, an axis tick), a point, a line, the edge
 * of a bar, or another label. Vega hides overlapping axis labels itself
 * (`labelOverlap`) but draws a spec's own text marks wherever it puts them,
 * so the build finds these in the drawn scene and warns.
 */

/** How a chart's warnings name a label drawn over a mark (render-svg.ts). */
export const LABEL_OVERLAP_PREFIX = 'label "';

/** A box in the chart's pixels. */
export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** What of Vega's scenegraph the check reads: marks with their role, and items with their geometry. */
export interface SceneMark {
  readonly marktype: string;
  readonly role?: string;
  readonly items?: readonly SceneItem[];
}

export interface SceneItem {
  readonly x?: number;
  readonly y?: number;
  readonly x2?: number;
  readonly y2?: number;
  readonly width?: number;
  readonly height?: number;
  readonly text?: unknown;
  readonly opacity?: number;
  readonly fillOpacity?: number;
  readonly strokeOpacity?: number;
  readonly bounds?: Box;
  /** A group's marks. */
  readonly items?: readonly SceneMark[];
}

/** One label over a mark. */
export interface LabelOverlap {
  readonly label: string;
  /** What it is drawn over, in words: `a rule`, `a point`, `the label "…"`. */
  readonly over: string;
}

/**
 * How far (px) a label's box is drawn in before a bar, a point or another
 * label counts as over it: one that only grazes its edge is not.
 */
const INSET = 1;

/**
 * The room (px) a label keeps around it from a spec's rules and lines. A line along
 * the text, under it or running into its start, reads as part of it (a
 * whisker ending where a value begins reads as a minus sign): 5 px before
 * and after the text, 3 px above and below. A line across the text's
 * direction, beside it (a reference line and its own label), needs only 2 px.
 */
const CLEARANCE = {along: {x: 5, y: 3}, across: {x: 2, y: 1}};

/** A label crossing the edges of this many rects of one mark is over a field of cells (a heat map), not beside a bar. */
const FIELD_OF_CELLS = 3;

interface Obstacle {
  readonly kind: 'rule' | 'bar' | 'point' | 'line' | 'label' | 'tick';
  /** The mark it belongs to (a heat map's cells are one mark). */
  readonly mark?: SceneMark;
  /** Segments for rules, ticks and lines; a box for bars, points and labels. */
  readonly segments?: ReadonlyArray<readonly [number, number, number, number]>;
  readonly box?: Box;
  readonly label?: string;
  /** The label's own item, so a label is not over itself. */
  readonly item?: SceneItem;
}

/**
 * Every text mark of the chart (not axis or legend text) drawn over another
 * mark, in scene order. A label wholly inside a bar (a label inside its
 * bar) is meant to be there; one that crosses a bar's edge is not, unless it
 * crosses the edges of three or more rects of one mark (cells of a heat map,
 * where a label over the field is how it is read). A label over its own
 * copy (a halo drawn under it) is one label. Areas are not obstacles
 * (labels inside a band are common).
 */
export function findLabelOverlaps(root: SceneMark): LabelOverlap[] {
  const labels: Array<{text: string; box: Box; item: SceneItem}> = [];
  const obstacles: Obstacle[] = [];
  collect(root, 0, 0, labels, obstacles);
  const grids = gridMarks(obstacles);
  const found: LabelOverlap[] = [];
  const seen = new Set<string>();
  for (const label of labels) {
    if (label.box.x2 - label.box.x1 <= 2 * INSET || label.box.y2 - label.box.y1 <= 2 * INSET) continue;
    const crossings = new Map<SceneMark | undefined, number>();
    const hits: Array<{obstacle: Obstacle; over: string}> = [];
    for (const obstacle of obstacles) {
      if (obstacle.item === label.item) continue;
      if (obstacle.kind === 'label' && obstacle.label === label.text && sameBox(obstacle.box as Box, label.box))
        continue;
      const over = overlaps(label.box, obstacle);
      if (!over) continue;
      hits.push({obstacle, over});
      if (obstacle.kind === 'bar') crossings.set(obstacle.mark, (crossings.get(obstacle.mark) ?? 0) + 1);
    }
    for (const {obstacle, over} of hits) {
      if (obstacle.kind === 'bar' && (crossings.get(obstacle.mark) ?? 0) >= FIELD_OF_CELLS) continue;
      if (obstacle.kind === 'bar' && obstacle.mark !== undefined && grids.has(obstacle.mark)) continue;
      const key = `${label.text}\0${over}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({label: label.text, over});
    }
  }
  return found;
}

/**
 * Rect marks whose cells tile a grid of at least FIELD_OF_CELLS columns and
 * rows (a heat map): as many cells as distinct left edges times distinct
 * top edges. A label anywhere over such a field is how it is read, however
 * few cells it crosses. Stacked or grouped bars never fill their grid.
 */
function gridMarks(obstacles: readonly Obstacle[]): Set<SceneMark> {
  const cells = new Map<SceneMark, Box[]>();
  for (const obstacle of obstacles)
    if (obstacle.kind === 'bar' && obstacle.mark && obstacle.box)
      cells.set(obstacle.mark, [...(cells.get(obstacle.mark) ?? []), obstacle.box]);
  const grids = new Set<SceneMark>();
  for (const [mark, boxes] of cells) {
    const columns = new Set(boxes.map((box) => Math.round(box.x1))).size;
    const rows = new Set(boxes.map((box) => Math.round(box.y1))).size;
    if (columns >= FIELD_OF_CELLS && rows >= FIELD_OF_CELLS && columns * rows <= boxes.length) grids.add(mark);
  }
  return grids;
}

/** Walk the scene in drawing order, in absolute pixels (groups translate their marks). */
function collect(
  mark: SceneMark,
  dx: number,
  dy: number,
  labels: Array<{text: string; box: Box; item: SceneItem}>,
  obstacles: Obstacle[],
): void {
  const items = mark.items ?? [];
  if (mark.marktype === 'group') {
    for (const item of items) {
      const x = dx + (item.x ?? 0);
      const y = dy + (item.y ?? 0);
      for (const child of item.items ?? []) collect(child, x, y, labels, obstacles);
    }
    return;
  }
  const role = mark.role ?? '';
  const own = role === 'mark';
  const visible = items.filter((item) => (item.opacity ?? 1) > 0);
  switch (mark.marktype) {
    case 'text':
      for (const item of visible) {
        const text = textOf(item.text);
        if (!item.bounds || text === '') continue;
        const box = moved(item.bounds, dx, dy);
        if (own) labels.push({text, box, item});
        if (own || role === 'axis-label') obstacles.push({kind: 'label', box, label: text, item});
      }
      break;
    case 'rule':
      if (own || role === 'axis-tick' || role === 'axis-domain')
        for (const item of visible) {
          const x = dx + (item.x ?? 0);
          const y = dy + (item.y ?? 0);
          const x2 = item.x2 === undefined ? x : dx + item.x2;
          const y2 = item.y2 === undefined ? y : dy + item.y2;
          obstacles.push({kind: own ? 'rule' : 'tick', segments: [[x, y, x2, y2]]});
        }
      break;
    case 'rect':
      if (own)
        for (const item of visible) {
          if ((item.fillOpacity ?? 1) === 0 && (item.strokeOpacity ?? 1) === 0) continue;
          const x = dx + (item.x ?? 0);
          const y = dy + (item.y ?? 0);
          const width = item.width ?? 0;
          const height = item.height ?? 0;
          obstacles.push({
            kind: 'bar',
            mark,
            box: {
              x1: Math.min(x, x + width),
              y1: Math.min(y, y + height),
              x2: Math.max(x, x + width),
              y2: Math.max(y, y + height),
            },
          });
        }
      break;
    case 'symbol':
      if (own)
        for (const item of visible) if (item.bounds) obstacles.push({kind: 'point', box: moved(item.bounds, dx, dy)});
      break;
    case 'line':
    case 'trail': {
      if (!own || visible.length < 2) break;
      const segments: Array<[number, number, number, number]> = [];
      for (let index = 1; index < visible.length; index++) {
        const from = visible[index - 1] as SceneItem;
        const to = visible[index] as SceneItem;
        segments.push([dx + (from.x ?? 0), dy + (from.y ?? 0), dx + (to.x ?? 0), dy + (to.y ?? 0)]);
      }
      obstacles.push({kind: 'line', segments});
      break;
    }
    default:
      break;
  }
}

function overlaps(label: Box, obstacle: Obstacle): string | undefined {
  const box = inset(label, INSET, INSET);
  switch (obstacle.kind) {
    case 'tick':
      // An axis's own ticks only when the label is drawn over one (a label beside the axis is fine).
      return obstacle.segments?.some((segment) => segmentMeetsBox(box, segment)) ? 'an axis tick' : undefined;
    case 'rule':
    case 'line':
      return obstacle.segments?.some((segment) => segmentMeetsBox(clearanceBox(label, segment), segment))
        ? {rule: 'a rule', line: 'a line'}[obstacle.kind]
        : undefined;
    case 'bar': {
      const bar = obstacle.box as Box;
      if (!intersect(box, bar) || contains(bar, box)) return undefined;
      return 'the edge of a bar';
    }
    case 'point':
      return intersect(box, obstacle.box as Box) ? 'a point' : undefined;
    case 'label':
      return intersect(box, inset(obstacle.box as Box, INSET, INSET)) ? `the label "${obstacle.label}"` : undefined;
  }
}

/** A label's box grown by the room it keeps from a segment, by the segment's direction. */
function clearanceBox(label: Box, [x, y, x2, y2]: readonly [number, number, number, number]): Box {
  const room = Math.abs(y2 - y) <= Math.abs(x2 - x) ? CLEARANCE.along : CLEARANCE.across;
  return inset(label, -room.x, -room.y);
}

/** Whether a segment passes through the inside of a box (Liang–Barsky clipping). */
export function segmentMeetsBox(box: Box, [x, y, x2, y2]: readonly [number, number, number, number]): boolean {
  const dx = x2 - x;
  const dy = y2 - y;
  let t0 = 0;
  let t1 = 1;
  const edges: Array<[number, number]> = [
    [-dx, x - box.x1],
    [dx, box.x2 - x],
    [-dy, y - box.y1],
    [dy, box.y2 - y],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q <= 0) return false;
      continue;
    }
    const r = q / p;
    if (p < 0) {
      if (r > t1) return false;
      if (r > t0) t0 = r;
    } else {
      if (r < t0) return false;
      if (r < t1) t1 = r;
    }
  }
  return t0 < t1;
}

function sameBox(a: Box, b: Box): boolean {
  return a.x1 === b.x1 && a.y1 === b.y1 && a.x2 === b.x2 && a.y2 === b.y2;
}

function intersect(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

function contains(outer: Box, inner: Box): boolean {
  return inner.x1 >= outer.x1 && inner.x2 <= outer.x2 && inner.y1 >= outer.y1 && inner.y2 <= outer.y2;
}

/** A box drawn in by `x` and `y` on each side (out, when negative). */
function inset(box: Box, x: number, y: number): Box {
  return {x1: box.x1 + x, y1: box.y1 + y, x2: box.x2 - x, y2: box.y2 - y};
}

function moved(box: Box, dx: number, dy: number): Box {
  return {x1: box.x1 + dx, y1: box.y1 + dy, x2: box.x2 + dx, y2: box.y2 + dy};
}

function textOf(text: unknown): string {
  if (Array.isArray(text)) return text.map((line) => String(line)).join(' ');
  return text === undefined || text === null ? '' : String(text).trim();
}
