/** Levenshtein edit distance (insertions, deletions, substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known id closest to `unknown` (ignoring case), when it is close enough
 * to be a likely typo (at most 2 edits, or half its length for longer ids),
 * or when a known id extends it (`h100` → `h100-sxm`): an extension beats a
 * truncation (`h200` → `h200-sxm`, not `h20`), and the shortest extension wins.
 */
export function nearestId(unknown: string, known: Iterable<string>): string | undefined {
  const needle = unknown.toLowerCase();
  if (needle.length === 0) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [...known].sort()) {
    const hay = candidate.toLowerCase();
    const distance = hay.startsWith(needle) ? 0.5 - 1 / (1 + hay.length) : editDistance(needle, hay);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, needle.length / 2) ? best : undefined;
}

/** "Unknown hardware id `x`; did you mean `y`?" with the known ids when nothing is close. */
export function unknownIdReason(kind: string, unknown: string, known: Iterable<string>): string {
  const ids = [...known].sort();
  const suggestion = nearestId(unknown, ids);
  if (suggestion) return `Unknown ${kind} id \`${unknown}\`, did you mean \`${suggestion}\`?`;
  if (ids.length === 0) return `Unknown ${kind} id \`${unknown}\`, and no ${kind} is defined`;
  return `Unknown ${kind} id \`${unknown}\`, expected one of ${ids.map((id) => `\`${id}\``).join(', ')}`;
}
