import type { CoreModel } from "../core.ts";
import { cortexA72 } from "./cortex-a72.ts";
import { neoverseN1 } from "./neoverse-n1.ts";
import { tsv110 } from "./tsv110.ts";

/** The modelled cores by their `-mcpu=` name. */
export const cores = {
  tsv110,
  "neoverse-n1": neoverseN1,
  "cortex-a72": cortexA72,
} as const satisfies Record<string, CoreModel>;

export type CoreName = keyof typeof cores;
