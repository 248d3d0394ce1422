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
 * The known id closest to `unknown`, when it is close enough to be a likely
 * typo (distance at most half its length) or a prefix of it (`h100` → `h100-sxm`).
 */
export function nearestId(unknown: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [...known].sort()) {
    const distance = candidate.startsWith(unknown) || unknown.startsWith(candidate) ? 0.5 : editDistance(unknown, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, unknown.length / 2) ? best : undefined;
}

/** "Unknown hardware id `x`; did you mean `y`?" with the known ids when nothing is close. */
export function unknownIdReason(kind: string, unknown: string, known: Iterable<string>): string {
  const ids = [...known].sort();
  const suggestion = nearestId(unknown, ids);
  if (suggestion) return `Unknown ${kind} id \`${unknown}\`, did you mean \`${suggestion}\`?`;
  const list = ids.length > 0 ? ids.map((id) => `\`${id}\``).join(', ') : 'none defined';
  return `Unknown ${kind} id \`${unknown}\`, expected one of ${list}`;
}
