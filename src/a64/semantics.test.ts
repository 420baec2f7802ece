import { describe, expect, it } from "vitest";
import { SEMANTICS } from "./decode.ts";
import { ENCODINGS, type FieldName } from "./encodings.ts";
import type { Fields, Semantics } from "./insn/types.ts";
import { randomWordFor, xorshift32 } from "./random.ts";

/** Fields of one word that throw when a handler reads a field its encoding does not have. */
function strictFields(word: number, enc: (typeof ENCODINGS)[number]): Fields {
  const values: Partial<Record<FieldName, number>> = {};
  for (const f of enc.fields) values[f.name] = (word >>> f.lo) & ((1 << f.width) - 1);
  return new Proxy(values as Fields, {
    get(target, prop) {
      if (typeof prop === "string" && !(prop in target))
        throw new Error(`${enc.name} reads missing field ${prop}`);
      return Reflect.get(target, prop);
    },
  });
}

describe("semantics bound to the table", () => {
  it("has a handler for every encoding and no other", () => {
    expect(Object.keys(SEMANTICS).sort()).toEqual(ENCODINGS.map((e) => e.name).sort());
  });

  it("reads only the fields its encoding declares (check, build and text, 64 random words each)", () => {
    const next = xorshift32(0xf1e1d);
    const problems: string[] = [];
    for (const enc of ENCODINGS) {
      const sem: Semantics = SEMANTICS[enc.name];
      for (let i = 0; i < 64; i++) {
        const word = randomWordFor(enc, next);
        const fields = strictFields(word, enc);
        try {
          if (sem.check?.(fields) !== undefined) continue;
          sem.build(fields, 0x1000);
          sem.text(fields, 0x1000, (a) => a.toString(16));
        } catch (thrown) {
          problems.push(`${word.toString(16)}: ${(thrown as Error).message}`);
          break;
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
