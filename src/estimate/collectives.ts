/**
 * Time of collectives on a ring of `ranks` GPUs, each link carrying
 * `bytesPerSecond` per direction (latency ignored: the messages here are
 * megabytes). The factors are NCCL's bus-bandwidth conventions
 * (nccl-tests PERFORMANCE.md): all-reduce moves 2(n−1)/n of the data per
 * rank, all-gather and reduce-scatter (n−1)/n.
 */
export function allReduceSeconds(bytes: number, ranks: number, bytesPerSecond: number): number {
  if (ranks <= 1) return 0;
  return ((2 * (ranks - 1)) / ranks) * (bytes / bytesPerSecond);
}

export function allGatherSeconds(bytes: number, ranks: number, bytesPerSecond: number): number {
  if (ranks <= 1) return 0;
  return ((ranks - 1) / ranks) * (bytes / bytesPerSecond);
}

/** Reduce-scatter moves the same volume as all-gather. */
export const reduceScatterSeconds = allGatherSeconds;
