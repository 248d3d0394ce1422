import {
  endOfBlock,
  endOfFence,
  endOfInlineCode,
  endOfString,
  matchingBrace,
  skipFrontmatter,
} from '../../src/render/large-expressions.js';

/**
 * The prose of an MDX template, read without rendering it: runs of typed text (Markdown prose, a JSX
 * attribute's quoted value, a template literal's text) and, between them, what the page computes there (a
 * `{…}` expression, a template literal's `${…}`, an `<Estimate>` or `<Metric>`). A typed word is "next to a
 * computed value" when the text between it and one of the computed pieces bounding its run holds no end of
 * sentence. For test/render/template-words.test.ts: a comparative typed beside a computed number says
 * something the data may stop saying.
 */

/** A piece of a run: typed text, or something the page computes. */
export type Piece =
  {readonly kind: 'text'; readonly text: string; readonly offset: number} | {readonly kind: 'computed'};

/** Components that print a computed figure where they stand. */
const NUMBER_COMPONENTS = new Set(['Estimate', 'Metric']);
/** Components that stand inline in a sentence without printing a figure (a citation, a reference, a constant's name). */
const INLINE_COMPONENTS = new Set(['Cite', 'Ref', 'C']);

/** The runs of a template: each a sequence of typed text and computed pieces that can read as one sentence. */
export function templateRuns(source: string): Piece[][] {
  const runs: Piece[][] = [];
  let run: Piece[] = [];
  let textStart = -1;
  const endText = (index: number): void => {
    if (textStart >= 0 && index > textStart)
      run.push({kind: 'text', text: source.slice(textStart, index), offset: textStart});
    textStart = -1;
  };
  const endRun = (index: number): void => {
    endText(index);
    if (run.length > 0) runs.push(run);
    run = [];
  };
  const startText = (index: number): void => {
    if (textStart < 0) textStart = index;
  };
  let index = skipFrontmatter(source);
  let lineStart = true;
  while (index < source.length) {
    const character = source[index] as string;
    if (lineStart) {
      const rest = source.slice(index, index + 8);
      if (/^(```|~~~)/.test(rest)) {
        endRun(index);
        index = endOfFence(source, index);
        continue;
      }
      if (/^(export|import)\s/.test(rest)) {
        endRun(index);
        const end = endOfBlock(source, index);
        runs.push(...literalRuns(source, index, end));
        index = end;
        continue;
      }
      if (/^[ \t]*\r?\n/.test(source.slice(index, index + 3)) || /^[ \t]*(#|\|[ :-]*-)/.test(rest)) endRun(index);
    }
    lineStart = character === '\n';
    if (character === '|') {
      // A table's cell ends the sentence.
      endRun(index);
      index++;
      continue;
    }
    if (character === '`') {
      endText(index);
      index = endOfInlineCode(source, index);
      run.push({kind: 'computed'});
      continue;
    }
    if (character === '{') {
      endText(index);
      const end = matchingBrace(source, index);
      const expression = source.slice(index + 1, end);
      if (!/^\s*\/\*[\s\S]*\*\/\s*$/.test(expression)) run.push({kind: 'computed'});
      runs.push(...literalRuns(source, index + 1, end));
      index = end + 1;
      continue;
    }
    if (character === '<' && /^<\/?[A-Za-z]/.test(source.slice(index, index + 3))) {
      const tag = /^<\/?([A-Za-z][\w.]*)/.exec(source.slice(index, index + 40))?.[1] ?? '';
      const end = endOfTag(source, index);
      endText(index);
      if (NUMBER_COMPONENTS.has(tag)) run.push({kind: 'computed'});
      else if (!INLINE_COMPONENTS.has(tag)) endRun(index);
      runs.push(...attributeRuns(source, index, end));
      index = end;
      continue;
    }
    startText(index);
    index++;
  }
  endRun(index);
  return runs.filter((pieces) => pieces.some((piece) => piece.kind === 'text'));
}

/** A tag's quoted attribute values (typed text, a run each) and its braced ones (read for their template literals). */
function attributeRuns(source: string, start: number, end: number): Piece[][] {
  const runs: Piece[][] = [];
  let index = start;
  while (index < end) {
    const character = source[index];
    if (character === '"' || character === "'") {
      const close = source.indexOf(character, index + 1);
      const stop = close === -1 || close > end ? end : close;
      runs.push([{kind: 'text', text: source.slice(index + 1, stop), offset: index + 1}]);
      index = stop + 1;
    } else if (character === '{') {
      const close = matchingBrace(source, index);
      runs.push(...literalRuns(source, index + 1, close));
      index = close + 1;
    } else index++;
  }
  return runs;
}

/** The template literals in JavaScript from `start` to `end`: their text, with each `${…}` a computed piece. */
function literalRuns(source: string, start: number, end: number): Piece[][] {
  const runs: Piece[][] = [];
  let index = start;
  while (index < end) {
    const character = source[index] as string;
    if (character === '"' || character === "'") index = endOfString(source, index, character);
    else if (character === '/' && source[index + 1] === '/') {
      const lineEnd = source.indexOf('\n', index);
      index = lineEnd === -1 ? end : lineEnd;
    } else if (character === '/' && source[index + 1] === '*') {
      const close = source.indexOf('*/', index + 2);
      index = close === -1 ? end : close + 2;
    } else if (character === '`') {
      // A branch of a conditional (`cond ? `…` : `…``): its words are chosen by the condition, computed.
      const branch = /[?:]\s*$/.test(source.slice(Math.max(start, index - 20), index));
      const run: Piece[] = [];
      let textStart = index + 1;
      index++;
      while (index < end && source[index] !== '`') {
        if (source[index] === '\\') index += 2;
        else if (source[index] === '$' && source[index + 1] === '{') {
          if (index > textStart) run.push({kind: 'text', text: source.slice(textStart, index), offset: textStart});
          const close = matchingBrace(source, index + 1);
          run.push({kind: 'computed'});
          runs.push(...literalRuns(source, index + 2, close));
          index = close + 1;
          textStart = index;
        } else index++;
      }
      if (index > textStart) run.push({kind: 'text', text: source.slice(textStart, index), offset: textStart});
      if (!branch && run.some((piece) => piece.kind === 'text')) runs.push(run);
      index++;
    } else index++;
  }
  return runs;
}

/** The line (1-based) of an offset. */
export function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) if (source[index] === '\n') line++;
  return line;
}

/** The offset after a tag's `>`, skipping its quoted and braced attribute values. */
function endOfTag(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length && text[index] !== '>') {
    const character = text[index] as string;
    if (character === '"' || character === "'") {
      const close = text.indexOf(character, index + 1);
      index = close === -1 ? text.length : close + 1;
    } else if (character === '{') index = matchingBrace(text, index) + 1;
    else index++;
  }
  return index + 1;
}

/**
 * Comparative, directional, quantifying and contrasting words whose truth can rest on the numbers beside
 * them: "more than", "faster", "above", "most", "every", "cannot tell", "but", "only". A hyphenated compound
 * ("all-to-all") and the fixed phrases "at most" and "most likely" are not claims about the data.
 */
export const COMPARATIVE_WORDS =
  /(?<![\w-])(more than|less than|fewer than|greater than|faster|slower|cheaper|dearer|costlier|above|below|overstates?|understates?|dwarfs?|(?<!at )most(?! likely)|all|every|always|never|cannot tell|can't tell|larger|smaller|higher|lower|wider|narrower|bigger|exceeds?|outside|within|twice|doubles?|halves|half|but|yet|though|although|whereas|only)(?![\w-])/gi;

/** The most typed characters between a word and the computed piece it is read against. */
export const NEAR_CHARACTERS = 60;

/** A typed comparative next to a computed value: where it is, and its sentence with each computed piece as `{…}`. */
export interface TypedComparative {
  readonly word: string;
  readonly line: number;
  /** The run's text, computed pieces as `{…}` and white space collapsed. */
  readonly sentence: string;
  /** Where the word starts in `sentence`. */
  readonly at: number;
}

/** The typed comparatives of a template that stand next to a computed value, in the same sentence. */
export function typedComparatives(source: string): TypedComparative[] {
  const found: TypedComparative[] = [];
  const shown = (pieces: readonly Piece[]): string =>
    pieces.map((piece) => (piece.kind === 'text' ? piece.text : '{…}')).join('');
  const collapse = (text: string): string => text.replace(/\s+/g, ' ');
  const sentenceEnd = /[.!?;:](\s|$)|\n\s*\n/;
  for (const run of templateRuns(source)) {
    const sentence = collapse(shown(run));
    run.forEach((piece, index) => {
      if (piece.kind !== 'text') return;
      for (const match of piece.text.matchAll(COMPARATIVE_WORDS)) {
        const before = piece.text.slice(0, match.index);
        const after = piece.text.slice(match.index + match[0].length);
        const near = (neighbour: Piece | undefined, gap: string): boolean =>
          neighbour?.kind === 'computed' && gap.length <= NEAR_CHARACTERS && !sentenceEnd.test(gap);
        if (!near(run[index - 1], before) && !near(run[index + 1], after)) continue;
        found.push({
          word: match[0],
          line: lineOf(source, piece.offset + match.index),
          sentence,
          at: collapse(shown(run.slice(0, index)) + before).length,
        });
      }
    });
  }
  return found;
}
