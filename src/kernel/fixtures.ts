/**
 * The committed machine-code fixtures: the exit-path variants compiled by GCC 12 and Clang 16
 * (src/kernel/c, `npm run fixtures`) and described by golden/fixtures/manifest.json.
 *
 * Ids are `<variant>.<compiler>.<config>`; variants are `ref`, `inline`, `legacy` and the
 * mutants `inline-mut-<slug>`. Paths resolve from this module, never from the working
 * directory.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { fail } from "../errors.ts";
import { defaultInput, type ExitInput, type RegsInput } from "./state.ts";
import { parseWorkNames } from "./work.ts";

export const FIXTURE_ROOT = fileURLToPath(new URL("../../golden/fixtures/", import.meta.url));
export const MANIFEST_PATH = join(FIXTURE_ROOT, "manifest.json");

export const FIXTURE_COMPILERS = ["gcc", "clang"] as const;
export type FixtureCompiler = (typeof FIXTURE_COMPILERS)[number];
export const FIXTURE_CONFIGS = ["defconfig", "ftrace", "hardened"] as const;
export type FixtureConfig = (typeof FIXTURE_CONFIGS)[number];

/** What a mutant breaks, from the structured head comment of its C source. */
export interface MutantInfo {
  readonly slug: string;
  readonly breaks: string;
  /** The kernel rule it violates (shared/KERNEL.md section and wording). */
  readonly rule: string;
  /** Short work-bit names (work.ts `short`) that a minimal counterexample needs. */
  readonly bits: string[];
  /**
   * A smallest input on which the mutant and `inline` differ, as `key=value` tokens:
   * work=TRACE|AUDIT, on_dispatch=1, audit_context=1, compat=1, x0=/x7=/x12=<number>;
   * everything unnamed as in defaultInput(). minimalInputOf() turns it into an ExitInput.
   */
  readonly minimalInput: string;
}

export type FixtureInfo = {
  readonly id: string;
  readonly variant: string;
  readonly compiler: FixtureCompiler;
  readonly config: FixtureConfig;
  /** Kernel-build ELF: exitwork_el0_svc at a fixed address, hooks as bare `ret`s, symbols kept. */
  readonly elfPath: string;
  /** `aarch64-linux-gnu-objdump -d` of the ELF, raw words included. */
  readonly listingPath: string;
  /** sha256 of the kernel-build ELF. */
  readonly sha256: string;
  readonly mutant?: MutantInfo;
  /** User-mode (EL0, qemu-aarch64) build of the same sources, where one exists (defconfig). */
  readonly userElfPath?: string;
};

const mutantSchema = z.object({
  slug: z.string(),
  breaks: z.string(),
  rule: z.string(),
  bits: z.array(z.string()),
  minimalInput: z.string(),
});

const manifestSchema = z.object({
  tools: z.record(z.string(), z.string()),
  flags: z.object({ compile: z.record(z.string(), z.record(z.string(), z.array(z.string()))) }).passthrough(),
  debugRseq: z.literal(false),
  sources: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  fixtures: z.array(
    z.object({
      id: z.string(),
      variant: z.string(),
      compiler: z.enum(FIXTURE_COMPILERS),
      config: z.enum(FIXTURE_CONFIGS),
      units: z.array(z.string()),
      elf: z.string(),
      listing: z.string(),
      sha256: z.object({ elf: z.string(), listing: z.string(), userElf: z.string().optional() }),
      userElf: z.string().optional(),
      mutant: mutantSchema.optional(),
    }),
  ),
});

export type FixtureManifest = z.infer<typeof manifestSchema>;

let cachedManifest: FixtureManifest | undefined;

/** The manifest, validated; a missing or malformed one is an EXITWORK_FIXTURE_MANIFEST failure. */
export function readManifest(): FixtureManifest {
  if (cachedManifest) return cachedManifest;
  let text: string;
  try {
    text = readFileSync(MANIFEST_PATH, "utf8");
  } catch {
    return fail("EXITWORK_FIXTURE_MANIFEST", MANIFEST_PATH, "no manifest; run `npm run fixtures`");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail("EXITWORK_FIXTURE_MANIFEST", MANIFEST_PATH, `not JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail("EXITWORK_FIXTURE_MANIFEST", `${MANIFEST_PATH}#${issue.path.join(".")}`, issue.message);
  }
  cachedManifest = parsed.data;
  return cachedManifest;
}

export interface FixtureFilter {
  readonly variant?: string;
  readonly compiler?: FixtureCompiler;
  readonly config?: FixtureConfig;
  /** true: only mutants; false: no mutants; absent: both. */
  readonly mutants?: boolean;
}

/** Fixtures of the manifest, in its order (variant, compiler, config), narrowed by `filter`. */
export function listFixtures(filter: FixtureFilter = {}): FixtureInfo[] {
  return readManifest()
    .fixtures.filter(
      (f) =>
        (filter.variant === undefined || f.variant === filter.variant) &&
        (filter.compiler === undefined || f.compiler === filter.compiler) &&
        (filter.config === undefined || f.config === filter.config) &&
        (filter.mutants === undefined || (f.mutant !== undefined) === filter.mutants),
    )
    .map((f) => ({
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
}

/** One fixture by id; an unknown id is an EXITWORK_FIXTURE_UNKNOWN failure. */
export function fixtureInfo(id: string): FixtureInfo {
  const found = listFixtures().find((f) => f.id === id);
  if (!found) {
    const known = listFixtures({ mutants: false, compiler: "gcc", config: "defconfig" }).map((f) => f.id);
    return fail("EXITWORK_FIXTURE_UNKNOWN", id, `no such fixture (e.g. ${known.join(", ")})`);
  }
  return found;
}

/** The kernel-build ELF bytes of a fixture. */
export function readFixture(id: string): Uint8Array {
  const info = fixtureInfo(id);
  try {
    return new Uint8Array(readFileSync(info.elfPath));
  } catch {
    return fail("EXITWORK_FIXTURE_MISSING", info.elfPath, "listed in the manifest but not on disk");
  }
}

const REG_KEYS = ["x0", "x7", "x12"] as const;

/** The ExitInput a mutant's `minimalInput` describes (format on MutantInfo.minimalInput). */
export function minimalInputOf(mutant: MutantInfo): ExitInput {
  const path = `mutant ${mutant.slug}: minimalInput`;
  let work = 0n;
  const flags = { on_dispatch: false, audit_context: false, compat: false };
  const regs: { -readonly [K in keyof RegsInput]: RegsInput[K] } = { ...defaultInput().regs };
  for (const token of mutant.minimalInput.split(/\s+/).filter((t) => t.length > 0)) {
    const [key, value] = token.split("=");
    if (key === undefined || value === undefined) return fail("EXITWORK_FIXTURE_MINIMAL_INPUT", path, token);
    if (key === "work") {
      const parsed = parseWorkNames(value.replaceAll("|", ","));
      if (parsed.unknown.length > 0) {
        return fail("EXITWORK_FIXTURE_MINIMAL_INPUT", path, `unknown work bits ${parsed.unknown.join(",")}`);
      }
      work = parsed.work;
    } else if (key === "on_dispatch" || key === "audit_context" || key === "compat") {
      flags[key] = value === "1";
    } else if ((REG_KEYS as readonly string[]).includes(key) && /^(0x[0-9a-f]+|[0-9]+)$/.test(value)) {
      regs[key as (typeof REG_KEYS)[number]] = BigInt(value);
    } else {
      return fail("EXITWORK_FIXTURE_MINIMAL_INPUT", path, `cannot read ${token}`);
    }
  }
  return defaultInput({
    work,
    onDispatch: flags.on_dispatch,
    auditContext: flags.audit_context,
    compat: flags.compat,
    regs,
  });
}

export interface ListingInsn {
  readonly address: number;
  readonly word: number;
  /** Mnemonic and operands as objdump prints them (tabs kept). */
  readonly text: string;
}

export interface ListingFunction {
  readonly name: string;
  readonly address: number;
  readonly insns: readonly ListingInsn[];
}

/**
 * The functions of an `objdump -d` listing, in address order. Padding words that follow a
 * function's last instruction (alignment between objects) stay attached to it, as objdump
 * prints them.
 */
export function parseListing(text: string): ListingFunction[] {
  const functions: { name: string; address: number; insns: ListingInsn[] }[] = [];
  for (const line of text.split("\n")) {
    const header = /^([0-9a-f]+) <([^>]+)>:$/.exec(line);
    if (header) {
      functions.push({ name: header[2]!, address: Number.parseInt(header[1]!, 16), insns: [] });
      continue;
    }
    const insn = /^ +([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$/.exec(line);
    if (insn && functions.length > 0) {
      functions[functions.length - 1]!.insns.push({
        address: Number.parseInt(insn[1]!, 16),
        word: Number.parseInt(insn[2]!, 16),
        text: insn[3]!,
      });
    }
  }
  return functions;
}
