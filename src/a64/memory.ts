/**
 * Flat physical memory for the simulated core: a few named regions with permissions. Every
 * access outside a region, or against its permissions, raises a MemoryFault that the runner turns
 * into a coded error value naming pc, word and disassembly.
 */
import type { MemAccess } from "./stream.ts";

export type Permission = "r" | "rw" | "rx" | "rwx";

export interface Region {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly perm: Permission;
  readonly bytes: Uint8Array;
  readonly view: DataView;
}

/** Thrown inside the step loop only; runners catch it and report a coded error value. */
export class MemoryFault {
  constructor(
    readonly addr: number,
    readonly size: number,
    readonly store: boolean,
    readonly reason: string,
  ) {}
}

/** Called after a store changed the byte at `addr` (only for addresses registered with watchByte). */
export type ByteWatcher = (addr: number, oldValue: number, newValue: number) => void;

export class Memory {
  private readonly regions: Region[] = [];
  private last: Region | undefined;
  private watched = -1;
  private watcher: ByteWatcher | undefined;
  /** When set, every data access is appended here (the executed-instruction stream). */
  log: MemAccess[] | undefined;

  /**
   * Maps a region. `init` is copied, unless `shared` is set: then `init` (exactly `size` bytes)
   * becomes the region's storage, which is safe for regions nothing stores to (read-only code).
   */
  map(name: string, base: number, size: number, perm: Permission, init?: Uint8Array, shared = false): Region {
    for (const r of this.regions) {
      if (base < r.base + r.size && r.base < base + size) {
        throw new Error(`region ${name} overlaps ${r.name}`);
      }
    }
    let bytes: Uint8Array;
    if (shared && init !== undefined && init.length === size) bytes = init;
    else {
      bytes = new Uint8Array(size);
      if (init) bytes.set(init.subarray(0, size));
    }
    const region = {
      name,
      base,
      size,
      perm,
      bytes,
      view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    };
    this.regions.push(region);
    return region;
  }

  region(name: string): Region | undefined {
    return this.regions.find((r) => r.name === name);
  }

  regionAt(addr: number): Region | undefined {
    return this.regions.find((r) => addr >= r.base && addr < r.base + r.size);
  }

  /** One byte watched for stores (the harness watches on_dispatch). */
  watchByte(addr: number, watcher: ByteWatcher): void {
    this.watched = addr;
    this.watcher = watcher;
  }

  private find(addr: number, size: number, store: boolean): Region {
    const last = this.last;
    if (last !== undefined && addr >= last.base && addr + size <= last.base + last.size) {
      if (store ? last.perm === "rw" || last.perm === "rwx" : true) return last;
    }
    for (const r of this.regions) {
      if (addr >= r.base && addr + size <= r.base + r.size) {
        if (store && r.perm !== "rw" && r.perm !== "rwx") {
          throw new MemoryFault(addr, size, store, `store to read-only region ${r.name}`);
        }
        this.last = r;
        return r;
      }
    }
    throw new MemoryFault(addr, size, store, "address not mapped");
  }

  /** Unsigned load of 1, 2, 4 or 8 bytes, little-endian. */
  read(addr: number, size: number): bigint {
    const r = this.find(addr, size, false);
    this.log?.push({ addr, size, store: false });
    const off = addr - r.base;
    switch (size) {
      case 1:
        return BigInt(r.bytes[off]!);
      case 2:
        return BigInt(r.view.getUint16(off, true));
      case 4:
        return BigInt(r.view.getUint32(off, true));
      default:
        return r.view.getBigUint64(off, true);
    }
  }

  /** Store of the low `size` bytes of `value`, little-endian. */
  write(addr: number, size: number, value: bigint): void {
    const r = this.find(addr, size, true);
    this.log?.push({ addr, size, store: true });
    const off = addr - r.base;
    const watched = this.watched;
    const old = watched >= addr && watched < addr + size ? r.bytes[watched - r.base]! : -1;
    switch (size) {
      case 1:
        r.bytes[off] = Number(value & 0xffn);
        break;
      case 2:
        r.view.setUint16(off, Number(value & 0xffffn), true);
        break;
      case 4:
        r.view.setUint32(off, Number(value & 0xffff_ffffn), true);
        break;
      default:
        r.view.setBigUint64(off, BigInt.asUintN(64, value), true);
    }
    if (old >= 0) this.watcher?.(watched, old, r.bytes[watched - r.base]!);
  }

  /** Host-side read (setup, hooks, final state): no permission check, no log, no watcher. */
  peek(addr: number, size: 1 | 2 | 4 | 8): bigint {
    const r = this.host(addr, size, false);
    const off = addr - r.base;
    switch (size) {
      case 1:
        return BigInt(r.bytes[off]!);
      case 2:
        return BigInt(r.view.getUint16(off, true));
      case 4:
        return BigInt(r.view.getUint32(off, true));
      default:
        return r.view.getBigUint64(off, true);
    }
  }

  /** Host-side write (setup, hooks): no permission check, no log, no watcher. */
  poke(addr: number, size: 1 | 2 | 4 | 8, value: bigint): void {
    const r = this.host(addr, size, true);
    const off = addr - r.base;
    switch (size) {
      case 1:
        r.bytes[off] = Number(value & 0xffn);
        return;
      case 2:
        r.view.setUint16(off, Number(value & 0xffffn), true);
        return;
      case 4:
        r.view.setUint32(off, Number(value & 0xffff_ffffn), true);
        return;
      default:
        r.view.setBigUint64(off, BigInt.asUintN(64, value), true);
    }
  }

  private host(addr: number, size: number, store: boolean): Region {
    const r = this.regionAt(addr);
    if (r === undefined || addr + size > r.base + r.size) {
      throw new MemoryFault(addr, size, store, "host access outside memory");
    }
    return r;
  }
}
