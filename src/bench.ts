/**
 * `npm run bench`: the speed figures the issues set targets for, one per line as
 * `name: value unit`. A benchmark, never a test: it prints and exits 0.
 *   functional simulation  >= 5,000,000 instr/s
 *   timed simulation       >= 2,000,000 instr/s
 *   end-to-end             >= 20,000 cases/s
 */
import { fileURLToPath } from "node:url";
import { bench as endToEnd } from "./harness/bench.ts";
import { bench as functional } from "./harness/bench-functional.ts";
import { bench as timed } from "./timing/bench.ts";

const budgets = fileURLToPath(new URL("../golden/budgets.json", import.meta.url));
const figures = [...functional(), ...timed(), ...endToEnd(budgets)];
for (const f of figures) console.log(`${f.name}: ${f.value} ${f.unit}`);
