/**
 * The fixture build: compiles the C variants in this folder with GCC 12 and Clang 16 into
 * golden/fixtures (kernel-build ELFs, objdump listings, user-mode ELFs, manifest.json).
 *
 * Run by `npm run fixtures` (build.sh checks the tools first). The plan (variants, flags,
 * sources) is exported so that src/kernel/fixtures.test.ts can tell a stale fixture from a
 * fresh one and rebuild a single fixture into a temporary folder.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ExitworkFailure, fail, formatError } from "../../errors.ts";

export const C_DIR = fileURLToPath(new URL(".", import.meta.url));
export const PACKAGE_ROOT = resolve(C_DIR, "../../..");
export const GOLDEN_FIXTURES = join(PACKAGE_ROOT, "golden/fixtures");

export const COMPILERS = ["gcc", "clang"] as const;
export type Compiler = (typeof COMPILERS)[number];
export const CONFIGS = ["defconfig", "ftrace", "hardened"] as const;
export type Config = (typeof CONFIGS)[number];

export const TOOLS = {
  gcc: "aarch64-linux-gnu-gcc",
  clang: "clang-16",
  ld: "aarch64-linux-gnu-ld",
  objdump: "aarch64-linux-gnu-objdump",
  nm: "aarch64-linux-gnu-nm",
} as const;

/** Compiler driver arguments that pick the target, before any flag of the kernel build. */
export const COMPILER_TARGET: Record<Compiler, readonly string[]> = {
  gcc: [],
  clang: ["--target=aarch64-linux-gnu"],
};

/**
 * The flags that shape arm64 kernel code (shared/KERNEL.md §4): what Kbuild passes for a
 * frame-pointer, pointer-auth defconfig, minus what only matters for a whole kernel.
 * -ffreestanding -nostdinc: the variants see nothing but the shim, like kernel code.
 */
export const DEFCONFIG_FLAGS: readonly string[] = [
  "-O2",
  "-std=gnu11",
  "-mgeneral-regs-only",
  "-fno-omit-frame-pointer",
  "-fno-optimize-sibling-calls",
  "-ffixed-x18",
  "-mbranch-protection=pac-ret+leaf",
  "-fno-PIE",
  "-fno-stack-protector",
  "-fno-strict-aliasing",
  "-fno-delete-null-pointer-checks",
  "-ffreestanding",
  "-nostdinc",
  "-Wall",
  "-Werror",
  "-I.",
];

/** Exact compile flags per compiler and config (after COMPILER_TARGET). */
export function compileFlags(compiler: Compiler, config: Config): string[] {
  switch (config) {
    case "defconfig":
      return [...DEFCONFIG_FLAGS];
    case "ftrace":
      // CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS-style entry: two patchable NOPs before the body.
      return [...DEFCONFIG_FLAGS, "-fpatchable-function-entry=2"];
    case "hardened": {
      // BTI landing pads plus PAC (-mbranch-protection=standard); the later flag wins.
      const flags = [...DEFCONFIG_FLAGS, "-mbranch-protection=standard"];
      // Shadow call stack is the Clang (Android) hardening; it relies on -ffixed-x18.
      return compiler === "clang" ? [...flags, "-fsanitize=shadow-call-stack"] : flags;
    }
  }
}

/** Link flags of the kernel build: fixed addresses, no build-id, symbols kept. */
export const LINK_FLAGS: readonly string[] = [
  "-T",
  "link.ld",
  "--build-id=none",
  "-static",
  "-nostdlib",
  "-z",
  "max-page-size=4096",
];
/** The user-mode build compiles the same variant sources with this one extra define. */
export const USER_DEFINE = "-DEXITWORK_USER";
/** The driver is ordinary hosted C; no kernel flags, no stack protector (TPIDR_EL0 is borrowed). */
export const DRIVER_FLAGS: readonly string[] = [
  "-O2",
  "-std=gnu11",
  "-Wall",
  "-Werror",
  "-fno-stack-protector",
];
export const USER_LINK_FLAGS: readonly string[] = ["-static", "-Wl,--build-id=none"];
/** Configs that get a user-mode build as well. */
export const USER_CONFIGS: readonly Config[] = ["defconfig"];

export interface MutantMeta {
  readonly slug: string;
  readonly breaks: string;
  readonly rule: string;
  readonly bits: string[];
  readonly minimalInput: string;
}

export interface VariantPlan {
  readonly name: string;
  /** Translation units of the variant, relative to C_DIR; the first holds exitwork_el0_svc. */
  readonly units: readonly string[];
  readonly mutant?: MutantMeta;
  /** Hook stubs of the kernel build; hooks.S when absent. */
  readonly hooks?: string;
  /** Driver of the user-mode build; user/driver.c when absent. */
  readonly driver?: string;
}

const MUTANT_DIR = "mutants";
const META_KEYS = ["breaks", "rule", "bits", "minimal-input"] as const;

/** Reads the structured head comment of a mutant (`@breaks:`, `@rule:`, `@bits:`, `@minimal-input:`). */
export function parseMutantMeta(slug: string, source: string, path: string): MutantMeta {
  const found = new Map<string, string>();
  for (const m of source.matchAll(/^ \* @([a-z-]+): (.*)$/gm)) found.set(m[1]!, m[2]!.trim());
  for (const key of META_KEYS) {
    if (!found.has(key)) {
      fail("EXITWORK_FIXTURE_MUTANT_META", path, `missing @${key}: line in the head comment`);
    }
  }
  return {
    slug,
    breaks: found.get("breaks")!,
    rule: found.get("rule")!,
    bits: found
      .get("bits")!
      .split(",")
      .map((b) => b.trim())
      .filter((b) => b.length > 0),
    minimalInput: found.get("minimal-input")!,
  };
}

/** Every variant: ref, inline, legacy, then the mutants of `inline` in name order. */
export function variantPlans(): VariantPlan[] {
  const plans: VariantPlan[] = [
    { name: "ref", units: ["ref.c", "ref_syscall_common.c"] },
    { name: "inline", units: ["inline.c", "inline_syscall_common.c"] },
    { name: "legacy", units: ["legacy.c", "legacy_ptrace.c"] },
  ];
  const mutantFiles = readdirSync(join(C_DIR, MUTANT_DIR))
    .filter((f) => f.endsWith(".c"))
    .sort();
  for (const file of mutantFiles) {
    const slug = file.slice(0, -2);
    const path = `${MUTANT_DIR}/${file}`;
    const mutant = parseMutantMeta(slug, readFileSync(join(C_DIR, path), "utf8"), path);
    plans.push({ name: `inline-mut-${slug}`, units: [path, "inline_syscall_common.c"], mutant });
  }
  return plans;
}

const SVC_MUTANT_DIR = "svc_mutants";
const SVC_HOOKS = "svc_hooks.S";
const SVC_DRIVER = "user/svc_driver.c";

/**
 * The whole el0_svc_common (entry work, syscall body, exit work): svc-ref (v6.18, both works
 * out of line), svc-exit-inline (v9 15/16), svc-inline (v7.0), then the mutants of svc-inline's
 * syscall_trace_enter() in name order. Kept apart from variantPlans() because their hooks and
 * user-mode driver differ (manifest.json lists them under `svcFixtures`).
 */
export function svcVariantPlans(): VariantPlan[] {
  const svc = { hooks: SVC_HOOKS, driver: SVC_DRIVER };
  const plans: VariantPlan[] = [
    { name: "svc-ref", units: ["svc_ref.c", "svc_ref_syscall_common.c", "ref_syscall_common.c"], ...svc },
    {
      name: "svc-exit-inline",
      units: ["svc_exit_inline.c", "svc_ref_syscall_common.c", "inline_syscall_common.c"],
      ...svc,
    },
    { name: "svc-inline", units: ["svc_inline.c", "svc_syscall_common.c"], ...svc },
  ];
  const mutantFiles = readdirSync(join(C_DIR, SVC_MUTANT_DIR))
    .filter((f) => f.endsWith(".c"))
    .sort();
  for (const file of mutantFiles) {
    const slug = file.slice(0, -2);
    const path = `${SVC_MUTANT_DIR}/${file}`;
    const mutant = parseMutantMeta(slug, readFileSync(join(C_DIR, path), "utf8"), path);
    plans.push({ name: `svc-inline-mut-${slug}`, units: [path, "svc_syscall_common.c"], mutant, ...svc });
  }
  return plans;
}

/** Every file of the C build whose bytes the fixtures depend on, relative to the package. */
export function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(c|h|S|ld|ts|sh)$/.test(entry.name) && !entry.name.endsWith(".test.ts")) files.push(path);
    }
  };
  walk(C_DIR);
  return files.map((f) => relative(PACKAGE_ROOT, f)).sort();
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function sourceHashes(): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const file of sourceFiles()) hashes[file] = sha256(readFileSync(join(PACKAGE_ROOT, file)));
  return hashes;
}

function run(tool: string, args: readonly string[], cwd: string, input?: string): string {
  const result = spawnSync(tool, args, { cwd, encoding: "utf8", input, maxBuffer: 256 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    fail(
      "EXITWORK_FIXTURE_TOOL",
      cwd,
      `${tool} ${args.join(" ")} failed: ${result.error?.message ?? result.stderr.trim()}`,
    );
  }
  return result.stdout;
}

export function toolVersion(tool: string): string {
  return run(tool, ["--version"], C_DIR).split("\n")[0]!.trim();
}

export function fixtureId(variant: string, compiler: Compiler, config: Config): string {
  return `${variant}.${compiler}.${config}`;
}

/**
 * Compiles one unit once per (compiler, flags) within a build. Objects are named after their
 * unit, because ld writes an object's file name into the symbol table when the object has
 * no STT_FILE symbol of its own (hooks.S), and the ELF must not depend on build order.
 */
export class ObjectCache {
  private readonly objects = new Map<string, string>();
  private readonly flagDirs = new Map<string, string>();
  constructor(private readonly objDir: string) {}

  compile(compiler: Compiler, flags: readonly string[], unit: string): string {
    const flagKey = `${compiler}\0${flags.join(" ")}`;
    const key = `${flagKey}\0${unit}`;
    const cached = this.objects.get(key);
    if (cached) return cached;
    let dir = this.flagDirs.get(flagKey);
    if (!dir) {
      dir = join(this.objDir, String(this.flagDirs.size));
      mkdirSync(dir, { recursive: true });
      this.flagDirs.set(flagKey, dir);
    }
    const object = join(dir, `${unit.replaceAll("/", "_")}.o`);
    run(TOOLS[compiler], [...COMPILER_TARGET[compiler], ...flags, "-c", unit, "-o", object], C_DIR);
    this.objects.set(key, object);
    return object;
  }
}

/** `objdump -d` of an ELF, run inside its folder so the header names the file, not a path. */
export function disassemble(elfPath: string): string {
  return run(TOOLS.objdump, ["-d", elfPath.split("/").pop()!], resolve(elfPath, ".."));
}

export interface BuiltFixture {
  readonly id: string;
  readonly elf: string;
  readonly listing: string;
  readonly userElf?: string;
}

/** Builds the kernel ELF + listing (and the user-mode ELF where configured) of one fixture. */
export function buildFixture(
  plan: VariantPlan,
  compiler: Compiler,
  config: Config,
  outDir: string,
  cache: ObjectCache,
): BuiltFixture {
  const id = fixtureId(plan.name, compiler, config);
  const flags = compileFlags(compiler, config);
  const objects = plan.units.map((u) => cache.compile(compiler, flags, u));
  const hooks = cache.compile(compiler, flags, plan.hooks ?? "hooks.S");
  const elf = join(outDir, `${id}.elf`);
  run(TOOLS.ld, [...LINK_FLAGS, "-o", elf, ...objects, hooks], C_DIR);
  const listing = join(outDir, `${id}.lst`);
  writeFileSync(listing, disassemble(elf));
  if (!USER_CONFIGS.includes(config)) return { id, elf, listing };

  const userObjects = plan.units.map((u) => cache.compile(compiler, [...flags, USER_DEFINE], u));
  const driver = cache.compile(compiler, DRIVER_FLAGS, plan.driver ?? "user/driver.c");
  mkdirSync(join(outDir, "user"), { recursive: true });
  const userElf = join(outDir, "user", `${id}.elf`);
  // The GNU driver links both compilers' objects: clang-16 has no cross linker setup here.
  run(TOOLS.gcc, [...USER_LINK_FLAGS, "-o", userElf, ...userObjects, driver], C_DIR);
  return { id, elf, listing, userElf };
}

/** Builds one fixture into a fresh temporary folder (used by the staleness test). */
export function buildOneInto(
  variant: string,
  compiler: Compiler,
  config: Config,
): BuiltFixture & { dir: string } {
  const plan = [...variantPlans(), ...svcVariantPlans()].find((p) => p.name === variant);
  if (!plan) throw new Error(`unknown variant ${variant}`);
  const dir = mkdtempSync(join(tmpdir(), "exitwork-fixture-"));
  const objDir = join(dir, "obj");
  mkdirSync(objDir);
  return { ...buildFixture(plan, compiler, config, dir, new ObjectCache(objDir)), dir };
}

export interface ManifestFixture {
  readonly id: string;
  readonly variant: string;
  readonly compiler: Compiler;
  readonly config: Config;
  readonly units: readonly string[];
  readonly elf: string;
  readonly listing: string;
  readonly sha256: { readonly elf: string; readonly listing: string; readonly userElf?: string };
  readonly userElf?: string;
  readonly mutant?: MutantMeta;
}

export interface Manifest {
  readonly note: string;
  readonly tools: Record<string, string>;
  readonly flags: {
    readonly compilerTarget: Record<Compiler, readonly string[]>;
    readonly compile: Record<Compiler, Record<Config, string[]>>;
    readonly link: readonly string[];
    readonly user: {
      readonly configs: readonly Config[];
      readonly define: string;
      readonly driver: readonly string[];
      readonly link: readonly string[];
    };
  };
  readonly debugRseq: false;
  readonly sources: Record<string, string>;
  readonly fixtures: readonly ManifestFixture[];
  /** The whole-el0_svc_common fixtures (svcVariantPlans()), same id scheme. */
  readonly svcFixtures: readonly ManifestFixture[];
}

/** The flags part of the manifest as the current plan has it. */
export function currentFlags(): Manifest["flags"] {
  const compile = {} as Record<Compiler, Record<Config, string[]>>;
  for (const compiler of COMPILERS) {
    compile[compiler] = {} as Record<Config, string[]>;
    for (const config of CONFIGS) compile[compiler][config] = compileFlags(compiler, config);
  }
  return {
    compilerTarget: COMPILER_TARGET,
    compile,
    link: LINK_FLAGS,
    user: { configs: USER_CONFIGS, define: USER_DEFINE, driver: DRIVER_FLAGS, link: USER_LINK_FLAGS },
  };
}

/** Builds the whole matrix into `outRoot` and writes its manifest.json. */
export function buildAll(outRoot: string): Manifest {
  mkdirSync(join(outRoot, "user"), { recursive: true });
  const objDir = mkdtempSync(join(tmpdir(), "exitwork-obj-"));
  const cache = new ObjectCache(objDir);
  const rel = (p: string): string => relative(outRoot, p);
  const hash = (p: string): string => sha256(readFileSync(p));
  const buildPlans = (plans: readonly VariantPlan[]): ManifestFixture[] => {
    const built: ManifestFixture[] = [];
    for (const plan of plans) {
      for (const compiler of COMPILERS) {
        for (const config of CONFIGS) {
          const one = buildFixture(plan, compiler, config, outRoot, cache);
          built.push({
            id: one.id,
            variant: plan.name,
            compiler,
            config,
            units: plan.units,
            elf: rel(one.elf),
            listing: rel(one.listing),
            sha256: {
              elf: hash(one.elf),
              listing: hash(one.listing),
              ...(one.userElf ? { userElf: hash(one.userElf) } : {}),
            },
            ...(one.userElf ? { userElf: rel(one.userElf) } : {}),
            ...(plan.mutant ? { mutant: plan.mutant } : {}),
          });
        }
      }
    }
    return built;
  };
  let fixtures: ManifestFixture[];
  let svcFixtures: ManifestFixture[];
  try {
    fixtures = buildPlans(variantPlans());
    svcFixtures = buildPlans(svcVariantPlans());
  } finally {
    rmSync(objDir, { recursive: true, force: true });
  }
  const manifest: Manifest = {
    note: "Written by `npm run fixtures` (src/kernel/c/build.sh). Paths are relative to this file. Built without CONFIG_DEBUG_RSEQ.",
    tools: {
      gcc: toolVersion(TOOLS.gcc),
      clang: toolVersion(TOOLS.clang),
      ld: toolVersion(TOOLS.ld),
      objdump: toolVersion(TOOLS.objdump),
    },
    flags: currentFlags(),
    debugRseq: false,
    sources: sourceHashes(),
    fixtures,
    svcFixtures,
  };
  writeFileSync(join(outRoot, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Files of two fixture trees that differ (by relative path), for the determinism check. */
export function diffTrees(a: string, b: string): string[] {
  const list = (root: string): string[] => {
    const out: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else out.push(relative(root, path));
      }
    };
    walk(root);
    return out.sort();
  };
  const left = list(a);
  const right = new Set(list(b));
  const differing = left.filter(
    (f) => !right.has(f) || sha256(readFileSync(join(a, f))) !== sha256(readFileSync(join(b, f))),
  );
  return [...differing, ...[...right].filter((f) => !left.includes(f))];
}

function main(): number {
  const check = process.argv.includes("--check-reproducible");
  const manifest = buildAll(GOLDEN_FIXTURES);
  process.stdout.write(
    `fixtures: ${manifest.fixtures.length + manifest.svcFixtures.length} built into ${relative(process.cwd(), GOLDEN_FIXTURES)}\n`,
  );
  if (!check) return 0;
  const second = mkdtempSync(join(tmpdir(), "exitwork-repro-"));
  try {
    buildAll(second);
    const differing = diffTrees(GOLDEN_FIXTURES, second);
    if (differing.length > 0) {
      const error = {
        code: "EXITWORK_FIXTURE_NOT_REPRODUCIBLE",
        path: "golden/fixtures",
        message: differing.join(", "),
      };
      process.stderr.write(`${formatError(error)}\n`);
      return 1;
    }
    process.stdout.write("fixtures: a second build gave byte-identical files\n");
    return 0;
  } finally {
    rmSync(second, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main();
  } catch (error) {
    if (error instanceof ExitworkFailure) {
      process.stderr.write(`${formatError(error.error)}\n`);
      process.exitCode = 1;
    } else throw error;
  }
}
