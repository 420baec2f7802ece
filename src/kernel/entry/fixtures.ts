/**
 * The committed whole-syscall fixtures: `svc-ref`, `svc-exit-inline`, `svc-inline` and the
 * mutants `svc-inline-mut-<slug>`, compiled by GCC 12 and Clang 16 in the three configs
 * (src/kernel/c/build.ts svcVariantPlans()). manifest.json lists them under `svcFixtures`, apart
 * from the exit-only `fixtures`, because their hooks and user-mode driver differ: a reader of
 * `fixtures` (src/kernel/fixtures.ts listFixtures) never meets one.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { fail } from "../../errors.ts";
import {
  FIXTURE_COMPILERS,
  FIXTURE_CONFIGS,
  FIXTURE_ROOT,
  type FixtureFilter,
  type FixtureInfo,
  MANIFEST_PATH,
  type MutantInfo,
} from "../fixtures.ts";
import { parseWorkNames } from "../work.ts";
import { defaultSyscallInput, SUD_OUTCOMES, type SudOutcome, type SyscallInput } from "./types.ts";

/** The three layouts of one el0_svc_common, in patch-series order. */
export const SVC_VARIANTS = ["svc-ref", "svc-exit-inline", "svc-inline"] as const;
export type SvcVariant = (typeof SVC_VARIANTS)[number];

const entrySchema = z.object({
  id: z.string(),
  variant: z.string(),
  compiler: z.enum(FIXTURE_COMPILERS),
  config: z.enum(FIXTURE_CONFIGS),
  elf: z.string(),
  listing: z.string(),
  sha256: z.object({ elf: z.string(), listing: z.string(), userElf: z.string().optional() }),
  userElf: z.string().optional(),
  mutant: z
    .object({
      slug: z.string(),
      breaks: z.string(),
      rule: z.string(),
      bits: z.array(z.string()),
      minimalInput: z.string(),
    })
    .optional(),
});
const manifestSchema = z.object({ svcFixtures: z.array(entrySchema) });

let cached: FixtureInfo[] | undefined;

function readSvcManifest(): FixtureInfo[] {
  if (cached) return cached;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(MANIFEST_PATH, "utf8"));
  } catch (error) {
    return fail("EXITWORK_FIXTURE_MANIFEST", MANIFEST_PATH, `unreadable: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail("EXITWORK_FIXTURE_MANIFEST", `${MANIFEST_PATH}#${issue.path.join(".")}`, issue.message);
  }
  cached = parsed.data.svcFixtures.map((f) => ({
    id: f.id,
    variant: f.variant,
    compiler: f.compiler,
    config: f.config,
    elfPath: join(FIXTURE_ROOT, f.elf),
    listingPath: join(FIXTURE_ROOT, f.listing),
    sha256: f.sha256.elf,
    ...(f.mutant ? { mutant: f.mutant } : {}),
    ...(f.userElf ? { userElfPath: join(FIXTURE_ROOT, f.userElf) } : {}),
  }));
  return cached;
}

/** svcFixtures() - the whole-syscall fixtures in manifest order (variant, compiler, config), narrowed by `filter`. */
export function svcFixtures(filter: FixtureFilter = {}): FixtureInfo[] {
  return readSvcManifest().filter(
    (f) =>
      (filter.variant === undefined || f.variant === filter.variant) &&
      (filter.compiler === undefined || f.compiler === filter.compiler) &&
      (filter.config === undefined || f.config === filter.config) &&
      (filter.mutants === undefined || (f.mutant !== undefined) === filter.mutants),
  );
}

/** One whole-syscall fixture by id; an unknown id is an EXITWORK_FIXTURE_UNKNOWN failure. */
export function svcFixtureInfo(id: string): FixtureInfo {
  const found = readSvcManifest().find((f) => f.id === id);
  if (!found) {
    const known = SVC_VARIANTS.map((v) => `${v}.gcc.defconfig`).join(", ");
    return fail("EXITWORK_FIXTURE_UNKNOWN", id, `no such svc fixture (e.g. ${known})`);
  }
  return found;
}

/** The kernel-build ELF bytes of a whole-syscall fixture. */
export function readSvcFixture(id: string): Uint8Array {
  const info = svcFixtureInfo(id);
  try {
    return new Uint8Array(readFileSync(info.elfPath));
  } catch {
    return fail("EXITWORK_FIXTURE_MISSING", info.elfPath, "listed in the manifest but not on disk");
  }
}

/**
 * minimalSyscallInputOf() - the SyscallInput an svc mutant's `minimalInput` describes
 *
 * Tokens: work=A|B (both workAtEntry and work), sud=allow|dispatch|kill,
 * entry_tracer=none|skip|set_nr:N|write_scratch:V, seccomp=allow|skip|errno:N, tp_nr=N, nr=N,
 * audit_context=1, compat=1, on_dispatch=1, x0=/x7=/x12=V, args=A,B,C; the rest as in
 * defaultSyscallInput(). A token it cannot read is an EXITWORK_FIXTURE_MINIMAL_INPUT failure.
 */
export function minimalSyscallInputOf(mutant: MutantInfo): SyscallInput {
  const path = `mutant ${mutant.slug}: minimalInput`;
  const bad = (token: string): never => fail("EXITWORK_FIXTURE_MINIMAL_INPUT", path, `cannot read ${token}`);
  const int = (text: string, token: string): number => (/^-?[0-9]+$/.test(text) ? Number(text) : bad(token));
  const u64 = (text: string, token: string): bigint =>
    /^(0x[0-9a-f]+|[0-9]+)$/.test(text) ? BigInt(text) : bad(token);
  let input = defaultSyscallInput();
  for (const token of mutant.minimalInput.split(/\s+/).filter((t) => t.length > 0)) {
    const [key, value, ...rest] = token.split("=");
    if (key === undefined || value === undefined || rest.length > 0) return bad(token);
    const [kind, arg] = value.split(":");
    const regs = input.regs;
    if (key === "work") {
      const parsed = parseWorkNames(value.replaceAll("|", ","));
      if (parsed.unknown.length > 0) bad(token);
      input = { ...input, work: parsed.work, workAtEntry: parsed.work };
    } else if (key === "sud" && (SUD_OUTCOMES as readonly string[]).includes(value)) {
      input = { ...input, sud: value as SudOutcome };
    } else if (key === "entry_tracer" && (kind === "none" || kind === "skip") && arg === undefined) {
      input = { ...input, entryTracer: { kind } };
    } else if (key === "entry_tracer" && kind === "set_nr" && arg !== undefined) {
      input = { ...input, entryTracer: { kind, nr: int(arg, token) } };
    } else if (key === "entry_tracer" && kind === "write_scratch" && arg !== undefined) {
      input = { ...input, entryTracer: { kind, scratch: u64(arg, token) } };
    } else if (key === "seccomp" && (kind === "allow" || kind === "skip") && arg === undefined) {
      input = { ...input, seccomp: { kind } };
    } else if (key === "seccomp" && kind === "errno" && arg !== undefined) {
      input = { ...input, seccomp: { kind, errno: int(arg, token) } };
    } else if (key === "tp_nr") {
      input = { ...input, tracepointNr: int(value, token) };
    } else if (key === "nr") {
      input = { ...input, regs: { ...regs, syscallno: int(value, token) } };
    } else if (key === "audit_context" || key === "compat" || key === "on_dispatch") {
      const on = value === "1" ? true : value === "0" ? false : bad(token);
      const field = { audit_context: "auditContext", compat: "compat", on_dispatch: "onDispatch" } as const;
      input = { ...input, [field[key]]: on };
    } else if (key === "x0" || key === "x7" || key === "x12") {
      input = { ...input, regs: { ...regs, [key]: u64(value, token) } };
    } else if (key === "args") {
      const args = value.split(",").map((a) => u64(a, token));
      if (args.length !== 3) bad(token);
      input = { ...input, args: [args[0]!, args[1]!, args[2]!] };
    } else bad(token);
  }
  return input;
}
