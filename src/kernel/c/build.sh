#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds golden/fixtures from src/kernel/c (npm run fixtures). The work is in build.ts;
# this wrapper only checks that the cross tools exist, so a missing one is one clear line.
# A second build into a temporary folder must give byte-identical files
# (--check-reproducible); pass --fast to skip that check.
set -euo pipefail
# No external command before the tool check: it must run with an empty PATH too.
cd "${BASH_SOURCE[0]%/*}/../../.."

missing=()
for tool in aarch64-linux-gnu-gcc aarch64-linux-gnu-ld aarch64-linux-gnu-objdump aarch64-linux-gnu-nm clang-16; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ! -e /usr/aarch64-linux-gnu/lib/libc.a ]; then missing+=("libc.a (arm64)"); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "fixtures: missing ${missing[*]}; install: apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu clang-16 libc6-dev-arm64-cross" >&2
  exit 2
fi

if [ "${1:-}" = "--fast" ]; then
  exec npx tsx src/kernel/c/build.ts
fi
exec npx tsx src/kernel/c/build.ts --check-reproducible
