/**
 * Time of collectives on a ring of `ranks` GPUs, each link carrying
 * `bytesPerSecond` per direction, with `latencySeconds` per ring step. The
 * factors are NCCL's bus-bandwidth conventions (nccl-tests
 * PERFORMANCE.md): all-reduce moves 2(n−1)/n of the data per rank in
 * 2(n−1) steps, all-gather and reduce-scatter (n−1)/n in n−1 steps.
 * Nothing to move takes no time.
 */
export function allReduceSeconds(bytes: number, ranks: number, bytesPerSecond: number, latencySeconds = 0): number {
  if (ranks <= 1 || bytes <= 0) return 0;
  return ((2 * (ranks - 1)) / ranks) * (bytes / bytesPerSecond) + 2 * (ranks - 1) * latencySeconds;
}

export function allGatherSeconds(bytes: number, ranks: number, bytesPerSecond: number, latencySeconds = 0): number {
  if (ranks <= 1 || bytes <= 0) return 0;
  return ((ranks - 1) / ranks) * (bytes / bytesPerSecond) + (ranks - 1) * latencySeconds;
}

/** Reduce-scatter moves the same volume as all-gather. */
export const reduceScatterSeconds = allGatherSeconds;
