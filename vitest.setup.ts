import fc from "fast-check";

// A fixed seed: `npm test` is deterministic, and tools that match tests by name see the same
// names each run. EXITWORK_SEED changes it for a wider search.
fc.configureGlobal({ seed: Number(process.env.EXITWORK_SEED ?? 0x5eed) });
