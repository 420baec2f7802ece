/**
 * Random instruction words generated from the table's fields: fixed bits kept, every field drawn
 * uniformly. Deterministic for a seed (xorshift32) so a failing word can be replayed.
 */
import { ENCODINGS, type Encoding } from "./encodings.ts";

export function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

export function randomWordFor(enc: Encoding, next: () => number): number {
  return ((next() & ~enc.mask) | enc.value) >>> 0;
}

/** `count` words, cycling through every encoding so each gets count / ENCODINGS.length samples. */
export function randomEncodings(count: number, seed: number): number[] {
  const next = xorshift32(seed);
  const words: number[] = [];
  for (let i = 0; i < count; i++) words.push(randomWordFor(ENCODINGS[i % ENCODINGS.length]!, next));
  return words;
}
