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
} from "../fixtures.ts";

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
