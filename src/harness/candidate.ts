/**
 * A user's own variant of the exit path (`exitwork check --candidate`): an ELF as it is, or a C
 * file written like src/kernel/c/inline.c (it includes "generic.h", defines
 * variant_exit_to_user_mode() and ends with #include "el0_svc_common.h"), compiled and linked
 * with exactly the fixtures' flags, beside the out-of-line tracepoint wrapper the inlined layout
 * calls. The candidate then takes the place of `inline` in its build.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fail } from "../errors.ts";
import {
  C_DIR,
  type Compiler,
  type Config,
  compileFlags,
  LINK_FLAGS,
  ObjectCache,
  TOOLS,
} from "../kernel/c/build.ts";
import type { FixtureInfo } from "../kernel/fixtures.ts";

const PACKAGES = "gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu clang-16";

function have(tool: string): boolean {
  return spawnSync(tool, ["--version"], { encoding: "utf8" }).status === 0;
}

function info(file: string, compiler: Compiler, config: Config, elfPath: string): FixtureInfo {
  const sha256 = createHash("sha256").update(readFileSync(elfPath)).digest("hex");
  return {
    id: `candidate.${compiler}.${config}`,
    variant: "inline",
    compiler,
    config,
    elfPath,
    listingPath: file,
    sha256,
  };
}

/** The candidate as a fixture of the build `compiler.config`; a C file is compiled first. */
export function candidateFixture(file: string, compiler: Compiler, config: Config): FixtureInfo {
  const path = resolve(file);
  if (!existsSync(path)) return fail("CANDIDATE_MISSING", file, "no such file");
  if (path.endsWith(".elf") || !path.endsWith(".c")) return info(file, compiler, config, path);
  for (const tool of [TOOLS[compiler], TOOLS.ld]) {
    if (!have(tool))
      return fail("TOOL_MISSING", tool, `compiling a candidate needs it: apt-get install ${PACKAGES}`);
  }
  const dir = mkdtempSync(join(tmpdir(), "exitwork-candidate-"));
  mkdirSync(join(dir, "obj"));
  const cache = new ObjectCache(join(dir, "obj"));
  const flags = compileFlags(compiler, config);
  const objects = [path, "inline_syscall_common.c", "hooks.S"].map((unit) =>
    cache.compile(compiler, flags, unit),
  );
  const elf = join(dir, `candidate.${compiler}.${config}.elf`);
  const linked = spawnSync(TOOLS.ld, [...LINK_FLAGS, "-o", elf, ...objects], {
    cwd: C_DIR,
    encoding: "utf8",
  });
  if (linked.status !== 0)
    return fail("CANDIDATE_LINK", file, linked.stderr.trim().split("\n")[0] ?? "link failed");
  return info(file, compiler, config, elf);
}
