/** The worker side of `exitwork check` with several subjects: one subject, its summary posted back. */
import { parentPort, workerData } from "node:worker_threads";
import { ExitworkFailure } from "../errors.ts";
import { DOMAINS, type DomainId } from "../harness/domain.ts";
import type { OptionValues } from "./command.ts";
import { checkSubject } from "./commands.ts";

const { values, domain } = workerData as { values: OptionValues; domain: DomainId };
try {
  parentPort?.postMessage({ summary: checkSubject(values, DOMAINS[domain]) });
} catch (error) {
  if (!(error instanceof ExitworkFailure)) throw error;
  parentPort?.postMessage({ error: error.error });
}
