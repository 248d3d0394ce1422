import type {ChipRates} from './chip-rates.js';
import type {ModelProfile} from './model-profile.js';

/**
 * Seconds to move one token's expert copies for one MoE layer, `bytesPerCopy`
 * each (the sum of the all-to-alls counted), on whichever link is slower.
 * Copies to GPUs in the same scale-up domain go over it; with node-limited
 * routing (DeepSeek-V3 §3.2.2) a token crosses the scale-out network once
 * per remote node it targets (at most M), and the domain forwards it to the
 * experts there (routing taken as uniform over the EP group). The members
 * of an EP group sit `stride` ranks apart (the tensor-parallel ranks of the
 * experts, etp, lie between them: Megatron-Core's rank order), so a domain
 * holds domainGpus / stride of them.
 */
export function expertTransferSecondsPerToken(
  profile: ModelProfile,
  rates: ChipRates,
  ep: number,
  stride: number,
  bytesPerCopy: number,
): number {
  if (ep <= 1) return 0;
  const k = profile.routedExpertsPerToken;
  const gpusPerDomain = Math.max(1, Math.floor(rates.domainGpus / stride));
  const domains = Math.max(1, ep / gpusPerDomain);
  if (domains <= 1) return (k * bytesPerCopy * ((ep - 1) / ep)) / rates.scaleUpBytesPerSecond;
  const remoteShare = 1 - 1 / domains;
  const nodesTouched = Math.min(k, profile.maxNodesPerToken ?? k, domains);
  const remoteCopies = profile.maxNodesPerToken === undefined ? k * remoteShare : nodesTouched * remoteShare;
  const scaleOut = (remoteCopies * bytesPerCopy) / rates.scaleOutBytesPerSecond;
  const scaleUp = (k * bytesPerCopy) / rates.scaleUpBytesPerSecond;
  return Math.max(scaleOut, scaleUp);
}
