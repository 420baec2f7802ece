import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { defaultInput } from "../kernel/state.ts";
import {
  SYSCALL_WORK_SECCOMP,
  SYSCALL_WORK_SYSCALL_AUDIT,
  SYSCALL_WORK_SYSCALL_EXIT_TRAP,
  SYSCALL_WORK_SYSCALL_TRACEPOINT,
  SYSCALL_WORK_SYSCALL_USER_DISPATCH,
} from "../kernel/work.ts";
import { arbExitInput } from "./arbitraries.ts";
import { ALL_PATHS, exitPath, pathFromSpec } from "./paths.ts";

describe("exitPath", () => {
  it("names the fast path when no SYSCALL_WORK_EXIT bit is set, even with an audit context", () => {
    expect(exitPath(defaultInput({ work: SYSCALL_WORK_SECCOMP, auditContext: true }))).toBe("no-work");
  });

  it("names the SUD gate", () => {
    expect(exitPath(defaultInput({ work: SYSCALL_WORK_SYSCALL_USER_DISPATCH, onDispatch: true }))).toBe(
      "sud-dispatch",
    );
  });

  it("names audit on the audit=1 boot path", () => {
    expect(exitPath(defaultInput({ work: SYSCALL_WORK_SYSCALL_AUDIT, auditContext: true }))).toBe("audit");
  });

  it("joins the effects in kernel order", () => {
    const work =
      SYSCALL_WORK_SYSCALL_AUDIT | SYSCALL_WORK_SYSCALL_TRACEPOINT | SYSCALL_WORK_SYSCALL_EXIT_TRAP;
    expect(exitPath(defaultInput({ work, auditContext: true }))).toBe("audit+tracepoint+ptrace-step");
  });

  it("names a slow path that finds nothing to do", () => {
    expect(exitPath(defaultInput({ work: SYSCALL_WORK_SYSCALL_USER_DISPATCH }))).toBe("work-no-effect");
  });

  test.prop([fc.bigInt({ min: 0n, max: 255n }), fc.boolean(), fc.boolean(), fc.boolean()])(
    "every path is one of ALL_PATHS",
    (work, onDispatch, auditContext, compat) => {
      expect(ALL_PATHS).toContain(exitPath(defaultInput({ work, onDispatch, auditContext, compat })));
    },
  );

  test.prop([arbExitInput({ debugRseq: "any" })], { numRuns: 5_000 })(
    "the memo gives what the specification gives, for any 64-bit work word and state",
    (input) => {
      expect(exitPath(input)).toBe(pathFromSpec(input));
    },
  );
});
