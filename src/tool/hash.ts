import {createHash} from 'node:crypto';

/** The SHA-256 of some text or bytes, in hex: the content hash of inputs, cache entries and site files. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
