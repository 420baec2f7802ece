/**
 * exitwork's command line: argument parsing and printing only; the work is the API's.
 * Exit codes: 0 all hold, 1 a property failed, 2 usage or input error (one line, no stack trace).
 */
import { parseArgs } from "node:util";
import { ExitworkFailure, formatError } from "../errors.ts";
import { commands } from "./commands.ts";

const HELP = `exitwork: conformance and cycle budget of the Linux arm64 syscall exit path

usage: exitwork <command> [options]

commands:
  check      run P1-P4 on the committed fixtures (default: all builds, core tsv110, steady state)
  explain    one input, ref vs inline side by side: effects, disassembly, timeline, cycles
  replay     run a counterexample report (reports/<name>.json) again, without the generator
  promote    keep a report's input as a regression case under golden/regressions/
  golden     regenerate golden/traces (prints behaviour changes apart from cycle changes)
  bench      model perf bench syscall basic (--perf-bench) from the modelled entry and exit work
  report     write the upstream-questions report (Markdown with SVG charts)

Run "exitwork <command> --help" for a command's options.
`;

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(
      `${formatError({ code: "USAGE", path: name, message: "unknown command (see exitwork --help)" })}\n`,
    );
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      process.stdout.write(command.help);
      return 0;
    }
    return await command.run(values as Record<string, string | boolean | undefined>, positionals);
  } catch (error) {
    if (error instanceof ExitworkFailure) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    const e = error as { code?: string; message?: string };
    if (typeof e.code === "string" && e.code.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(
        `${formatError({ code: "USAGE", path: name, message: e.message ?? "bad arguments" })}\n`,
      );
      return 2;
    }
    process.stderr.write(
      `${formatError({ code: "INTERNAL", path: name, message: e.message ?? String(error) })}\n`,
    );
    return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
