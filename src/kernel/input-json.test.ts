import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { inputFromJson, inputToJson } from "./input-json.ts";
import { defaultInput, type ExitInput } from "./state.ts";

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const arbInput: fc.Arbitrary<ExitInput> = fc.record({
  work: u64,
  workAtEntry: u64,
  tifFlags: u64,
  tifFlagsAtEntry: u64,
  onDispatch: fc.boolean(),
  auditContext: fc.boolean(),
  compat: fc.boolean(),
  regs: fc.record({ x0: u64, x7: u64, x12: u64, orig_x0: u64, syscallno: fc.integer({ min: -1, max: 500 }) }),
  tracer: fc.oneof(
    fc.constant({ kind: "none" as const }),
    fc.record({ kind: fc.constant("write_x0" as const), x0: u64 }),
    fc.record({ kind: fc.constant("write_scratch" as const), scratch: u64 }),
    fc.record({ kind: fc.constant("write_both" as const), x0: u64, scratch: u64 }),
  ),
  debugRseq: fc.boolean(),
});

describe("input JSON", () => {
  test.prop([arbInput])("round-trips every 64-bit value exactly", (input) => {
    expect(inputFromJson(JSON.parse(JSON.stringify(inputToJson(input))))).toEqual(input);
  });

  it("writes negative values as the register holds them", () => {
    expect(
      inputToJson(defaultInput({ regs: { x0: -2n, x7: 0n, x12: 0n, orig_x0: 0n, syscallno: 1 } })).regs.x0,
    ).toBe("0xfffffffffffffffe");
  });

  it("rejects a value that is not 64-bit hex, naming the field", () => {
    const json = { ...inputToJson(defaultInput()), work: "12" };
    expect(() => inputFromJson(json)).toThrowError(/work/);
  });
});
