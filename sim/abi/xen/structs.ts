/**
 * Byte layouts of the Xen structures an i386 PV guest hands to hypercalls or shares with Xen:
 * trap_info (set_trap_table), vcpu_time_info (in shared_info), vcpu_runstate_info (vcpu_op),
 * xen_memory_reservation (memory_op) and xen_compile_info (xen_version). Little-endian, i386
 * sizes and offsets from reference/time-cpu-abi.md §2.3–2.6 and §2.9 (measured there with
 * gcc -m32). Where the reference gives only a size, offsets follow the i386 SysV rules:
 * unsigned long and pointers are 4 bytes, and uint64_t is aligned to 4 inside structs (so a u64
 * after a 4-byte field does not move to offset 8). 64-bit fields are bigint; decoders reject a
 * buffer too short for the struct; encoders reject values that do not fit their C field.
 */

// ---------------------------------------------------------------------------------------------
// Shared checks

function viewOf(buf: Uint8Array, offset: number, size: number, what: string): DataView {
  if (!Number.isInteger(offset) || offset < 0)
    throw new RangeError(`${what}: offset must be a non-negative integer, got ${offset}`);
  if (buf.byteLength - offset < size)
    throw new RangeError(
      `${what}: needs ${size} bytes at offset ${offset}, but the buffer has only ${buf.byteLength} bytes`,
    );
  return new DataView(buf.buffer, buf.byteOffset + offset, size);
}

function checkUint(what: string, value: number, bits: 8 | 16 | 32): number {
  const max = 2 ** bits - 1;
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`${what} must be an integer in [0, ${max}], got ${value}`);
  return value;
}

function checkInt(what: string, value: number, bits: 8 | 32): number {
  const lim = 2 ** (bits - 1);
  if (!Number.isInteger(value) || value < -lim || value >= lim)
    throw new RangeError(`${what} must be an integer in [${-lim}, ${lim - 1}], got ${value}`);
  return value;
}

function checkU64(what: string, value: bigint): bigint {
  if (value < 0n || value >= 1n << 64n) throw new RangeError(`${what} must be in [0, 2^64), got ${value}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// struct trap_info (§2.3): one virtual IDT entry for set_trap_table.

/** i386 layout of trap_info: u8 vector, u8 flags, u16 cs, unsigned long address = 8 bytes. */
export const TRAP_INFO = { SIZE: 8, VECTOR: 0, FLAGS: 1, CS: 2, ADDRESS: 4 } as const;

/**
 * One trap_info. `flags` bits 1:0 are the DPL (the lowest ring allowed to raise the vector with
 * `int`), bit 2 asks Xen to mask events on entry (interrupt-gate semantics). `address` 0 is the
 * table terminator, not a handler.
 */
export interface TrapInfo {
  vector: number;
  flags: number;
  cs: number;
  address: number;
}

/** TI_GET_DPL: flags & 3. */
export function tiGetDpl(ti: Pick<TrapInfo, 'flags'>): number {
  return ti.flags & 3;
}

/** TI_GET_IF: flags & 4 is set, i.e. events are masked when the handler is entered. */
export function tiGetIf(ti: Pick<TrapInfo, 'flags'>): boolean {
  return (ti.flags & 4) !== 0;
}

export function encodeTrapInfo(ti: TrapInfo, out = new Uint8Array(TRAP_INFO.SIZE), offset = 0): Uint8Array {
  const v = viewOf(out, offset, TRAP_INFO.SIZE, 'trap_info');
  v.setUint8(TRAP_INFO.VECTOR, checkUint('trap_info.vector', ti.vector, 8));
  v.setUint8(TRAP_INFO.FLAGS, checkUint('trap_info.flags', ti.flags, 8));
  v.setUint16(TRAP_INFO.CS, checkUint('trap_info.cs', ti.cs, 16), true);
  v.setUint32(TRAP_INFO.ADDRESS, checkUint('trap_info.address', ti.address, 32), true);
  return out;
}

export function decodeTrapInfo(buf: Uint8Array, offset = 0): TrapInfo {
  const v = viewOf(buf, offset, TRAP_INFO.SIZE, 'trap_info');
  return {
    vector: v.getUint8(TRAP_INFO.VECTOR),
    flags: v.getUint8(TRAP_INFO.FLAGS),
    cs: v.getUint16(TRAP_INFO.CS, true),
    address: v.getUint32(TRAP_INFO.ADDRESS, true),
  };
}

/**
 * The array set_trap_table reads: the entries, then an all-zero terminator. An entry with
 * address 0 would end the table early, so it is rejected.
 */
export function encodeTrapTable(entries: readonly TrapInfo[]): Uint8Array {
  const out = new Uint8Array((entries.length + 1) * TRAP_INFO.SIZE);
  entries.forEach((ti, i) => {
    if (ti.address === 0)
      throw new RangeError(`trap table entry ${i} (vector ${ti.vector}) has address 0, which ends the table`);
    encodeTrapInfo(ti, out, i * TRAP_INFO.SIZE);
  });
  return out;
}

/**
 * Reads trap_info entries from `offset` up to (not including) the first with address 0, as Xen's
 * do_set_trap_table does. Running off the buffer before a terminator is an error (in Xen, a
 * fault on guest memory).
 */
export function decodeTrapTable(buf: Uint8Array, offset = 0): TrapInfo[] {
  const entries: TrapInfo[] = [];
  for (let at = offset; ; at += TRAP_INFO.SIZE) {
    if (buf.byteLength - at < TRAP_INFO.SIZE)
      throw new RangeError(
        `trap table: no terminating entry (address 0) within ${buf.byteLength} bytes after ${entries.length} entries`,
      );
    const ti = decodeTrapInfo(buf, at);
    if (ti.address === 0) return entries;
    entries.push(ti);
  }
}

// ---------------------------------------------------------------------------------------------
// struct vcpu_time_info (§2.4): the per-vCPU pvclock parameters in shared_info (at vcpu_info+32).

/** 32 bytes: u32 version, u32 pad0, u64 tsc_timestamp, u64 system_time, u32 mul, i8 shift, pad1[3]. */
export const VCPU_TIME_INFO = {
  SIZE: 32,
  VERSION: 0,
  PAD0: 4,
  TSC_TIMESTAMP: 8,
  SYSTEM_TIME: 16,
  TSC_TO_SYSTEM_MUL: 24,
  TSC_SHIFT: 28,
  /** pad1[0]; pvclock's u8 flags (PVCLOCK_*) in later ABIs. pad1[1..2] stay zero. */
  FLAGS: 29,
} as const;

/**
 * One vcpu_time_info. ns since boot at TSC value t = systemTime + scale(t − tscTimestamp) (see
 * pvclock.ts). `version` is odd while Xen rewrites the fields.
 */
export interface VcpuTimeInfo {
  version: number;
  tscTimestamp: bigint;
  /** ns since boot at tscTimestamp. */
  systemTime: bigint;
  tscToSystemMul: number;
  tscShift: number;
  flags: number;
}

export function encodeVcpuTimeInfo(
  t: VcpuTimeInfo,
  out = new Uint8Array(VCPU_TIME_INFO.SIZE),
  offset = 0,
): Uint8Array {
  const v = viewOf(out, offset, VCPU_TIME_INFO.SIZE, 'vcpu_time_info');
  v.setUint32(VCPU_TIME_INFO.VERSION, checkUint('vcpu_time_info.version', t.version, 32), true);
  v.setUint32(VCPU_TIME_INFO.PAD0, 0, true);
  v.setBigUint64(
    VCPU_TIME_INFO.TSC_TIMESTAMP,
    checkU64('vcpu_time_info.tsc_timestamp', t.tscTimestamp),
    true,
  );
  v.setBigUint64(VCPU_TIME_INFO.SYSTEM_TIME, checkU64('vcpu_time_info.system_time', t.systemTime), true);
  v.setUint32(
    VCPU_TIME_INFO.TSC_TO_SYSTEM_MUL,
    checkUint('vcpu_time_info.tsc_to_system_mul', t.tscToSystemMul, 32),
    true,
  );
  v.setInt8(VCPU_TIME_INFO.TSC_SHIFT, checkInt('vcpu_time_info.tsc_shift', t.tscShift, 8));
  v.setUint8(VCPU_TIME_INFO.FLAGS, checkUint('vcpu_time_info.flags', t.flags, 8));
  v.setUint16(VCPU_TIME_INFO.FLAGS + 1, 0, true);
  return out;
}

export function decodeVcpuTimeInfo(buf: Uint8Array, offset = 0): VcpuTimeInfo {
  const v = viewOf(buf, offset, VCPU_TIME_INFO.SIZE, 'vcpu_time_info');
  return {
    version: v.getUint32(VCPU_TIME_INFO.VERSION, true),
    tscTimestamp: v.getBigUint64(VCPU_TIME_INFO.TSC_TIMESTAMP, true),
    systemTime: v.getBigUint64(VCPU_TIME_INFO.SYSTEM_TIME, true),
    tscToSystemMul: v.getUint32(VCPU_TIME_INFO.TSC_TO_SYSTEM_MUL, true),
    tscShift: v.getInt8(VCPU_TIME_INFO.TSC_SHIFT),
    flags: v.getUint8(VCPU_TIME_INFO.FLAGS),
  };
}

// ---------------------------------------------------------------------------------------------
// struct vcpu_runstate_info (§2.5): time a vCPU spent in each RUNSTATE_*.

/**
 * i386: int state @0, u64 state_entry_time @4, u64 time[4] @12 = 44 bytes (the reference's
 * measured offsets; x86_64 pads state_entry_time to 8 and is 48 bytes).
 */
export const VCPU_RUNSTATE_INFO = {
  SIZE: 44,
  STATE: 0,
  STATE_ENTRY_TIME: 4,
  TIME: 12,
  TIME_STRIDE: 8,
  TIME_COUNT: 4,
} as const;

/**
 * One vcpu_runstate_info: `time[s]` is ns spent in RUNSTATE s; the four sum to elapsed system
 * time. `stateEntryTime` is the system time (ns) the current state began; newer Xen sets bit 63
 * (XEN_RUNSTATE_UPDATE) in it while updating.
 */
export interface VcpuRunstateInfo {
  state: number;
  stateEntryTime: bigint;
  time: readonly [bigint, bigint, bigint, bigint];
}

export function encodeVcpuRunstateInfo(
  r: VcpuRunstateInfo,
  out = new Uint8Array(VCPU_RUNSTATE_INFO.SIZE),
  offset = 0,
): Uint8Array {
  const v = viewOf(out, offset, VCPU_RUNSTATE_INFO.SIZE, 'vcpu_runstate_info');
  if (r.time.length !== VCPU_RUNSTATE_INFO.TIME_COUNT)
    throw new RangeError(`vcpu_runstate_info.time must have 4 entries, got ${r.time.length}`);
  v.setInt32(VCPU_RUNSTATE_INFO.STATE, checkInt('vcpu_runstate_info.state', r.state, 32), true);
  v.setBigUint64(
    VCPU_RUNSTATE_INFO.STATE_ENTRY_TIME,
    checkU64('vcpu_runstate_info.state_entry_time', r.stateEntryTime),
    true,
  );
  r.time.forEach((ns, i) =>
    v.setBigUint64(
      VCPU_RUNSTATE_INFO.TIME + i * VCPU_RUNSTATE_INFO.TIME_STRIDE,
      checkU64(`vcpu_runstate_info.time[${i}]`, ns),
      true,
    ),
  );
  return out;
}

export function decodeVcpuRunstateInfo(buf: Uint8Array, offset = 0): VcpuRunstateInfo {
  const v = viewOf(buf, offset, VCPU_RUNSTATE_INFO.SIZE, 'vcpu_runstate_info');
  const time = (i: number): bigint =>
    v.getBigUint64(VCPU_RUNSTATE_INFO.TIME + i * VCPU_RUNSTATE_INFO.TIME_STRIDE, true);
  return {
    state: v.getInt32(VCPU_RUNSTATE_INFO.STATE, true),
    stateEntryTime: v.getBigUint64(VCPU_RUNSTATE_INFO.STATE_ENTRY_TIME, true),
    time: [time(0), time(1), time(2), time(3)],
  };
}

// ---------------------------------------------------------------------------------------------
// struct xen_memory_reservation (§2.6): argument of increase/decrease_reservation, populate_physmap.

/**
 * i386, 20 bytes with domid @16 (the reference's measurements); the other offsets follow from
 * 4-byte fields packed in order: handle (a 4-byte pointer) @0, xen_ulong_t nr_extents @4,
 * unsigned extent_order @8, unsigned address_bits @12, u16 domid @16, 2 bytes of tail padding.
 */
export const XEN_MEMORY_RESERVATION = {
  SIZE: 20,
  EXTENT_START: 0,
  NR_EXTENTS: 4,
  EXTENT_ORDER: 8,
  ADDRESS_BITS: 12,
  DOMID: 16,
} as const;

/**
 * One xen_memory_reservation. `extentStart` is the guest virtual address of the xen_pfn_t array
 * (IN: frames to free; OUT: frames granted); an extent is 2^extentOrder pages. `addressBits` 0
 * means no restriction (the field became mem_flags at interface 0x00030209). An unprivileged
 * guest passes DOMID_SELF. The hypercall returns the number of extents done.
 */
export interface XenMemoryReservation {
  extentStart: number;
  nrExtents: number;
  extentOrder: number;
  addressBits: number;
  domid: number;
}

export function encodeXenMemoryReservation(
  r: XenMemoryReservation,
  out = new Uint8Array(XEN_MEMORY_RESERVATION.SIZE),
  offset = 0,
): Uint8Array {
  const v = viewOf(out, offset, XEN_MEMORY_RESERVATION.SIZE, 'xen_memory_reservation');
  const R = XEN_MEMORY_RESERVATION;
  v.setUint32(R.EXTENT_START, checkUint('xen_memory_reservation.extent_start', r.extentStart, 32), true);
  v.setUint32(R.NR_EXTENTS, checkUint('xen_memory_reservation.nr_extents', r.nrExtents, 32), true);
  v.setUint32(R.EXTENT_ORDER, checkUint('xen_memory_reservation.extent_order', r.extentOrder, 32), true);
  v.setUint32(R.ADDRESS_BITS, checkUint('xen_memory_reservation.address_bits', r.addressBits, 32), true);
  v.setUint16(R.DOMID, checkUint('xen_memory_reservation.domid', r.domid, 16), true);
  v.setUint16(R.DOMID + 2, 0, true);
  return out;
}

export function decodeXenMemoryReservation(buf: Uint8Array, offset = 0): XenMemoryReservation {
  const v = viewOf(buf, offset, XEN_MEMORY_RESERVATION.SIZE, 'xen_memory_reservation');
  const R = XEN_MEMORY_RESERVATION;
  return {
    extentStart: v.getUint32(R.EXTENT_START, true),
    nrExtents: v.getUint32(R.NR_EXTENTS, true),
    extentOrder: v.getUint32(R.EXTENT_ORDER, true),
    addressBits: v.getUint32(R.ADDRESS_BITS, true),
    domid: v.getUint16(R.DOMID, true),
  };
}

// ---------------------------------------------------------------------------------------------
// struct xen_compile_info (§2.9): the answer to XENVER_compile_info.

/**
 * char compiler[64], compile_by[16], compile_domain[32], compile_date[32] = 144 bytes. Char
 * arrays have alignment 1, so each field starts where the previous one ends.
 */
export const XEN_COMPILE_INFO = {
  SIZE: 144,
  COMPILER: 0,
  COMPILER_LEN: 64,
  COMPILE_BY: 64,
  COMPILE_BY_LEN: 16,
  COMPILE_DOMAIN: 80,
  COMPILE_DOMAIN_LEN: 32,
  COMPILE_DATE: 112,
  COMPILE_DATE_LEN: 32,
} as const;

/** One xen_compile_info; each string is at most its field length − 1 (room for the NUL). */
export interface XenCompileInfo {
  compiler: string;
  compileBy: string;
  compileDomain: string;
  compileDate: string;
}

/** Writes `s` NUL-terminated and zero-padded into a char[len]; one byte per char (Latin-1). */
function putCString(v: DataView, at: number, len: number, s: string, what: string): void {
  if (s.length > len - 1)
    throw new RangeError(`${what} holds at most ${len - 1} characters plus a NUL, got ${s.length}`);
  for (let i = 0; i < len; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0;
    if (i < s.length && (c === 0 || c > 0xff))
      throw new RangeError(`${what}: character ${i} (code ${c}) is not a non-NUL single byte`);
    v.setUint8(at + i, c);
  }
}

/** Reads a char[len] up to its first NUL (or all of it if there is none). */
function getCString(v: DataView, at: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) {
    const c = v.getUint8(at + i);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

export function encodeXenCompileInfo(
  c: XenCompileInfo,
  out = new Uint8Array(XEN_COMPILE_INFO.SIZE),
  offset = 0,
): Uint8Array {
  const v = viewOf(out, offset, XEN_COMPILE_INFO.SIZE, 'xen_compile_info');
  const C = XEN_COMPILE_INFO;
  putCString(v, C.COMPILER, C.COMPILER_LEN, c.compiler, 'xen_compile_info.compiler');
  putCString(v, C.COMPILE_BY, C.COMPILE_BY_LEN, c.compileBy, 'xen_compile_info.compile_by');
  putCString(v, C.COMPILE_DOMAIN, C.COMPILE_DOMAIN_LEN, c.compileDomain, 'xen_compile_info.compile_domain');
  putCString(v, C.COMPILE_DATE, C.COMPILE_DATE_LEN, c.compileDate, 'xen_compile_info.compile_date');
  return out;
}

export function decodeXenCompileInfo(buf: Uint8Array, offset = 0): XenCompileInfo {
  const v = viewOf(buf, offset, XEN_COMPILE_INFO.SIZE, 'xen_compile_info');
  const C = XEN_COMPILE_INFO;
  return {
    compiler: getCString(v, C.COMPILER, C.COMPILER_LEN),
    compileBy: getCString(v, C.COMPILE_BY, C.COMPILE_BY_LEN),
    compileDomain: getCString(v, C.COMPILE_DOMAIN, C.COMPILE_DOMAIN_LEN),
    compileDate: getCString(v, C.COMPILE_DATE, C.COMPILE_DATE_LEN),
  };
}
