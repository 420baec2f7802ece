/** The worker side of `exitwork check` with several subjects: one subject, its summary posted back. */
import { parentPort, workerData } from "node:worker_threads";
import { ExitworkFailure } from "../errors.ts";
import { DOMAINS, type DomainId } from "../harness/domain.ts";
import type { OptionValues } from "./command.ts";
import { checkSubject, type WorkerMessage } from "./commands.ts";

const { values, domain } = workerData as { values: OptionValues; domain: DomainId };
const post = (message: WorkerMessage) => parentPort?.postMessage(message);
let lastPercent = -1;
const progress = {
  update(done: number, total: number) {
    const percent = Math.floor((100 * done) / total);
    if (percent === lastPercent) return;
    lastPercent = percent;
    post({ progress: [done, total] });
  },
};
try {
  post({ summary: checkSubject(values, DOMAINS[domain], progress) });
} catch (error) {
  if (!(error instanceof ExitworkFailure)) throw error;
  post({ error: error.error });
}
