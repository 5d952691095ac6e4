/**
 * Sticky bucketing: FNV-1a over the string's UTF-16 code units, finished with
 * murmur3's avalanche step so ids that differ in one character spread evenly.
 * The prefix (flag key + seed) is hashed once per flag and resumed per user.
 * Changing anything here moves users between buckets: the fixed vectors in
 * hash.test.ts must keep passing across releases.
 */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Hash state after `text`, resumable: `hashState(b, hashState(a)) === hashState(a + b)`. */
export function hashState(text: string, state: number = FNV_OFFSET): number {
  let h = state;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 0–99.999 for an id, given the flag's prefix state. */
export function bucketFrom(prefixState: number, id: string): number {
  return (fmix32(hashState(id, prefixState)) % 100_000) / 1000;
}

/** The bucket (0–99.999) a user falls into for a flag: deterministic in key, seed and id. */
export function rolloutBucket(flagKey: string, seed: string, id: string): number {
  return bucketFrom(hashState(`${flagKey}.${seed}.`), id);
}
