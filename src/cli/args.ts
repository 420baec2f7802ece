/**
 * Option values from the command line, checked and turned into the API's types. Every bad value is
 * a USAGE error naming the option, shown as one line.
 */
import { readFileSync } from "node:fs";
import { fail } from "../errors.ts";
import type { PropertyId } from "../harness/results.ts";
import {
  FIXTURE_COMPILERS,
  FIXTURE_CONFIGS,
  type FixtureCompiler,
  type FixtureConfig,
} from "../kernel/fixtures.ts";
import { type CoreOverrides, parseCoreOverrides, parseCoreParams } from "../timing/core.ts";

export function usage(option: string, message: string): never {
  return fail("USAGE", option, message);
}

export function intOption(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = /^(0x[0-9a-f]+|\d+)$/i.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min)
    usage(`--${name}`, `expects a whole number >= ${min}, got "${value}"`);
  return n;
}

export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    usage(`--${name}`, `expects one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

export function compilerOption(value: string | undefined): FixtureCompiler | undefined {
  return oneOf("compiler", value, FIXTURE_COMPILERS);
}

export function configOption(value: string | undefined): FixtureConfig | undefined {
  return oneOf("config", value, FIXTURE_CONFIGS);
}

/** `--shard i/n`, 1-based as vitest's: shard 1/3 .. 3/3. Returned 0-based. */
export function shardOption(value: string | undefined): { index: number; count: number } | null {
  if (value === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count)
    usage("--shard", `expects i/n with 1 <= i <= n, got "${value}"`);
  return { index: index - 1, count };
}

const PROPERTIES: readonly PropertyId[] = ["P1", "P2", "P3", "P4"];

export function propertiesOption(value: string | undefined): PropertyId[] {
  if (value === undefined) return [...PROPERTIES];
  const list = value.split(",").map((s) => s.trim().toUpperCase());
  for (const p of list)
    if (!(PROPERTIES as readonly string[]).includes(p))
      usage("--properties", `unknown property "${p}" (P1..P4)`);
  return list as PropertyId[];
}

/**
 * `--core-file f.json` then `--core-param name=value` (in that order, later wins): overrides of
 * the cores' assumed parameters and class latencies, validated by the timing model's schema.
 */
export function coreOverridesOption(
  file: string | undefined,
  params: readonly string[],
): CoreOverrides | undefined {
  let merged: CoreOverrides | undefined;
  if (file !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      return usage(`--core-file ${file}`, `cannot read JSON: ${(e as Error).message}`);
    }
    const parsed = parseCoreOverrides(json, file);
    if (!parsed.ok) return usage(parsed.errors[0]!.path, parsed.errors[0]!.message);
    merged = parsed.value;
  }
  if (params.length > 0) {
    const parsed = parseCoreParams(params);
    if (!parsed.ok) return usage(parsed.errors[0]!.path, parsed.errors[0]!.message);
    merged = {
      params: { ...merged?.params, ...parsed.value.params },
      classes: { ...merged?.classes, ...parsed.value.classes },
    };
  }
  return merged;
}
