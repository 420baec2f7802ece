import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { arbExitInput } from "../../harness/arbitraries.ts";
import { arbSyscallInput } from "./arbitraries.ts";
import { syscallInputFromJson, syscallInputToJson } from "./input-json.ts";

describe("whole-syscall input JSON", () => {
  test.prop([arbSyscallInput(arbExitInput())])("round-trips every field exactly", (input) => {
    expect(syscallInputFromJson(JSON.parse(JSON.stringify(syscallInputToJson(input))))).toEqual(input);
  });

  test.prop([fc.constantFrom("sud", "seccomp", "entryTracer")])(
    "rejects a malformed entry decision",
    (field) => {
      const json = { ...syscallInputToJson(arbSample()), [field]: { kind: "maybe" } };
      expect(() => syscallInputFromJson(json)).toThrow();
    },
  );
});

function arbSample() {
  return fc.sample(arbSyscallInput(arbExitInput()), { seed: 1, numRuns: 1 })[0]!;
}
