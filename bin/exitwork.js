#!/usr/bin/env node
// exitwork is written in TypeScript and runs from source through tsx's loader.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
