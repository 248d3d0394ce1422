import type {BuildEvent, BuildStage} from '../build/build-options.js';

/** How a long run shows its progress: a line redrawn in place on a terminal, plain lines in CI logs, or nothing. */
export type ProgressMode = 'live' | 'lines' | 'quiet';

/** `live` on a terminal, `lines` in CI (or when asked), else `quiet`. */
export function progressMode(isTerminal: boolean, env: NodeJS.ProcessEnv, asked: boolean): ProgressMode {
  if (isTerminal && env.TERM !== 'dumb') return 'live';
  return asked || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') ? 'lines' : 'quiet';
}

export interface Progress {
  /** Feed build events. */
  readonly onEvent: (event: BuildEvent) => void;
  /** Time stages. */
  readonly onStage: (stage: BuildStage, milliseconds: number) => void;
  /** Clear the live line; the stage timings, as `load 700 ms, compile 1196 ms, …`. */
  finish(): string;
}

/**
 * Progress of a build: which reports are rendered and why (always: that is
 * the answer to "what did this build do?"), then each report and PDF as it
 * starts. `write` prints whole lines; `status` draws the live line.
 */
export function createProgress(
  mode: ProgressMode,
  write: (text: string) => void,
  status: (text: string) => void,
): Progress {
  const timings = new Map<BuildStage, number>();
  let live = false;
  const step = (text: string) => {
    if (mode === 'lines') write(`${text}\n`);
    else if (mode === 'live') {
      status(`\r\x1b[2K${text}`);
      live = true;
    }
  };
  return {
    onEvent: (event) => {
      if (event.type === 'plan') write(planText(event));
      else if (event.type === 'report') step(`[${event.index + 1}/${event.count}] rendering ${event.slug}`);
      else if (event.type === 'pdfs-kept') write(keptPdfsText(event));
      else step(`[${event.index + 1}/${event.count}] ${event.cached ? 'reusing' : 'printing'} ${event.pdf}`);
    },
    onStage: (stage, milliseconds) => timings.set(stage, (timings.get(stage) ?? 0) + milliseconds),
    finish: () => {
      if (live) status('\r\x1b[2K');
      return [...timings].map(([stage, ms]) => `${stage} ${Math.round(ms)} ms`).join(', ');
    },
  };
}

/** `Rendering 2 of 7 report(s): a (data/hardware.yaml `h100` changed), b (…)`, or that all came from the cache. */
function planText(event: Extract<BuildEvent, {type: 'plan'}>): string {
  const total = event.render.length + event.reused.length;
  if (event.render.length === 0) return `Rendering 0 of ${total} report(s): all unchanged, taken from the cache\n`;
  if (event.reused.length === 0 && event.render.every(({reason}) => reason === event.render[0]?.reason)) {
    return `Rendering ${total} of ${total} report(s): ${event.render[0]?.reason}\n`;
  }
  return `Rendering ${event.render.length} of ${total} report(s): ${event.render.map(({slug, reason}) => `${slug} (${reason})`).join(', ')}\n`;
}

/** What a build without PDFs did with the PDFs of the site it replaced. */
function keptPdfsText(event: {kept: readonly string[]; removed: readonly string[]; reason: string}): string {
  const kept = event.kept.length > 0 ? `Kept ${event.kept.length} PDF(s) of unchanged pages. ` : '';
  if (event.removed.length === 0) return `${kept}\n`;
  return `${kept}Removed ${event.removed.length} PDF(s) (${event.removed.join(', ')}): ${event.reason}; run \`tradeoffs pdf\` to print them again.\n`;
}
