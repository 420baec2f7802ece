/** The shape of one exitwork command: its options (node:util parseArgs), help text and action. */
import type { ParseArgsConfig } from "node:util";

export type OptionValues = Record<string, string | boolean | undefined>;

export interface Command {
  readonly summary: string;
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  /** Returns the exit code: 0 all hold, 1 a property failed, 2 usage or input error. */
  run(values: OptionValues, positionals: readonly string[]): number | Promise<number>;
}

export function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

export function flag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}
