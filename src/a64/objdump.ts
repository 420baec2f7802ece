/**
 * Runs GNU objdump once over a batch of words and returns its text per word: the reference the
 * disassembler is compared with. Used by tests only; absent objdump is reported, not hidden.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const OBJDUMP = "aarch64-linux-gnu-objdump";

export function objdumpAvailable(): boolean {
  return spawnSync(OBJDUMP, ["--version"], { encoding: "utf8" }).status === 0;
}

/** One objdump process for all words, laid out from address 0 as a raw binary; text after the word column. */
export function objdumpWords(words: readonly number[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "exitwork-objdump-"));
  try {
    const bytes = new Uint8Array(words.length * 4);
    const view = new DataView(bytes.buffer);
    words.forEach((w, i) => {
      view.setUint32(i * 4, w >>> 0, true);
    });
    const file = join(dir, "words.bin");
    writeFileSync(file, bytes);
    const out = spawnSync(OBJDUMP, ["-D", "-b", "binary", "-m", "aarch64", file], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    if (out.status !== 0) throw new Error(`objdump failed: ${out.stderr}`);
    const texts = new Array<string>(words.length);
    for (const line of out.stdout.split("\n")) {
      const m = /^\s*([0-9a-f]+):\t[0-9a-f]{8} \t(.*)$/.exec(line);
      if (m) texts[Number.parseInt(m[1]!, 16) / 4] = m[2]!;
    }
    return texts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
