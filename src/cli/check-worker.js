// A worker thread of `exitwork check`: TypeScript runs through tsx, as in bin/exitwork.js.
import { register } from "tsx/esm/api";

register();
await import("./check-worker-main.ts");
