/**
 * The Xen 3.0.4 page-table ABI (i386, non-PAE): mmu_update, mmuext_op, update_va_mapping and
 * multicall — their command numbers, argument structs as the guest lays them out in its memory,
 * and how Xen answers them (xen/arch/x86/mm.c at tag 3.0.4-branched). The guest's use of them is
 * in sim/abi/xen/mmu.ts. Line numbers are of the files at that tag.
 */
import { DOMID_SELF, HYPERVISOR_VIRT_START_NONPAE, XEN_ERRNO, XEN_HYPERCALL } from './constants.js';

/** mmu_update commands in ptr[1:0] (xen/include/public/xen.h:173–174). */
export const MMU_NORMAL_PT_UPDATE = 0;
export const MMU_MACHPHYS_UPDATE = 1;

/** mmuext_op commands (xen/include/public/xen.h:220–234). */
export const MMUEXT = {
  PIN_L1_TABLE: 0,
  PIN_L2_TABLE: 1,
  PIN_L3_TABLE: 2,
  PIN_L4_TABLE: 3,
  UNPIN_TABLE: 4,
  NEW_BASEPTR: 5,
  TLB_FLUSH_LOCAL: 6,
  INVLPG_LOCAL: 7,
  TLB_FLUSH_MULTI: 8,
  INVLPG_MULTI: 9,
  TLB_FLUSH_ALL: 10,
  INVLPG_ALL: 11,
  FLUSH_CACHE: 12,
  SET_LDT: 13,
  NEW_USER_BASEPTR: 15,
} as const;

/** update_va_mapping flags (xen/include/public/xen.h:259–265). */
export const UVMF_NONE = 0;
export const UVMF_TLB_FLUSH = 1;
export const UVMF_INVLPG = 2;
export const UVMF_FLUSHTYPE_MASK = 3;
export const UVMF_MULTI = 0;
export const UVMF_LOCAL = 0;
export const UVMF_ALL = 1 << 2;

/** vm_assist type of writable page tables (xen/include/public/xen.h:290). */
export const VMASST_TYPE_writable_pagetables = 2;

/**
 * struct mmu_update { uint64_t ptr; uint64_t val; } (xen/include/public/xen.h:330–333): 16 bytes,
 * ptr the machine address of the PTE with the command in its low two bits.
 */
export const MMU_UPDATE = { SIZE: 16, PTR: 0, VAL: 8 } as const;
/**
 * struct mmuext_op { unsigned int cmd; union { xen_pfn_t mfn; unsigned long linear_addr; } arg1;
 * union { unsigned int nr_ents; void *vcpumask; } arg2; } (xen/include/public/xen.h:237–251):
 * 12 bytes on i386 (three 4-byte fields).
 */
export const MMUEXT_OP = { SIZE: 12, CMD: 0, ARG1: 4, ARG2: 8 } as const;
/**
 * struct multicall_entry { unsigned long op, result; unsigned long args[6]; }
 * (xen/include/public/xen.h:341–344): 32 bytes on i386.
 */
export const MULTICALL_ENTRY = { SIZE: 32, OP: 0, RESULT: 4, ARGS: 8 } as const;

export interface MmuUpdate {
  ptr: bigint;
  val: bigint;
}

export function encodeMmuUpdates(reqs: readonly MmuUpdate[]): Uint8Array {
  const out = new Uint8Array(reqs.length * MMU_UPDATE.SIZE);
  const v = new DataView(out.buffer);
  reqs.forEach((r, i) => {
    v.setBigUint64(i * MMU_UPDATE.SIZE + MMU_UPDATE.PTR, r.ptr, true);
    v.setBigUint64(i * MMU_UPDATE.SIZE + MMU_UPDATE.VAL, r.val, true);
  });
  return out;
}

export interface MmuextOp {
  cmd: number;
  arg1: number;
  arg2: number;
}

export function encodeMmuextOps(ops: readonly MmuextOp[]): Uint8Array {
  const out = new Uint8Array(ops.length * MMUEXT_OP.SIZE);
  const v = new DataView(out.buffer);
  ops.forEach((o, i) => {
    v.setUint32(i * MMUEXT_OP.SIZE + MMUEXT_OP.CMD, o.cmd >>> 0, true);
    v.setUint32(i * MMUEXT_OP.SIZE + MMUEXT_OP.ARG1, o.arg1 >>> 0, true);
    v.setUint32(i * MMUEXT_OP.SIZE + MMUEXT_OP.ARG2, o.arg2 >>> 0, true);
  });
  return out;
}

export interface MulticallEntry {
  op: number;
  args: readonly number[];
}

export function encodeMulticall(entries: readonly MulticallEntry[]): Uint8Array {
  const out = new Uint8Array(entries.length * MULTICALL_ENTRY.SIZE);
  const v = new DataView(out.buffer);
  entries.forEach((e, i) => {
    const at = i * MULTICALL_ENTRY.SIZE;
    v.setUint32(at + MULTICALL_ENTRY.OP, e.op >>> 0, true);
    e.args.slice(0, 6).forEach((a, k) => v.setUint32(at + MULTICALL_ENTRY.ARGS + 4 * k, a >>> 0, true));
  });
  return out;
}

const KNOWN_MMUEXT = new Set<number>(Object.values(MMUEXT));
/** 3.0.4 on i386 non-PAE pins L1 and L2 tables only; L3/L4 and the x86-64 user base are refused. */
const NONPAE_REFUSED = new Set<number>([MMUEXT.PIN_L3_TABLE, MMUEXT.PIN_L4_TABLE, MMUEXT.NEW_USER_BASEPTR]);

/**
 * What both batch calls check before their first entry: another domain than DOMID_SELF needs
 * privilege (set_foreigndom, else -ESRCH), and the array must be readable (else -EFAULT). 0: fine.
 */
function batchError(buf: Uint8Array, bytes: number, foreigndom: number, privileged: boolean): number {
  if (foreigndom !== DOMID_SELF && !privileged) return -XEN_ERRNO.ESRCH;
  if (bytes > buf.length) return -XEN_ERRNO.EFAULT;
  return 0;
}

/**
 * do_mmu_update(ureqs, count, pdone, foreigndom) as 3.0.4 answers a well-formed list
 * (xen/arch/x86/mm.c:2149): another domain than DOMID_SELF needs privilege (set_foreigndom, else
 * -ESRCH, :2178–2180); each request's ptr[1:0] must be MMU_NORMAL_PT_UPDATE or MMU_MACHPHYS_UPDATE,
 * else -ENOSYS and the rest is not done (:2341–2343). Returns [rc, requests done]. Whether each
 * entry's new value is valid (mod_l1_entry) is not modelled: the guest's entries always are.
 */
export function doMmuUpdate(
  reqs: Uint8Array,
  count: number,
  foreigndom: number,
  privileged: boolean,
): [number, number] {
  const bad = batchError(reqs, count * MMU_UPDATE.SIZE, foreigndom, privileged);
  if (bad !== 0) return [bad, 0];
  const v = new DataView(reqs.buffer, reqs.byteOffset, reqs.byteLength);
  for (let i = 0; i < count; i++) {
    const cmd = Number(v.getBigUint64(i * MMU_UPDATE.SIZE + MMU_UPDATE.PTR, true) & 3n);
    if (cmd !== MMU_NORMAL_PT_UPDATE && cmd !== MMU_MACHPHYS_UPDATE) return [-XEN_ERRNO.ENOSYS, i];
  }
  return [0, count];
}

/**
 * do_mmuext_op(uops, count, pdone, foreigndom) (xen/arch/x86/mm.c:1875): DOMID_SELF or privilege
 * (:1898–1900); an unknown command is -ENOSYS and stops the batch (:2119–2121). Returns [rc, done].
 */
export function doMmuextOp(
  ops: Uint8Array,
  count: number,
  foreigndom: number,
  privileged: boolean,
): [number, number] {
  const bad = batchError(ops, count * MMUEXT_OP.SIZE, foreigndom, privileged);
  if (bad !== 0) return [bad, 0];
  const v = new DataView(ops.buffer, ops.byteOffset, ops.byteLength);
  for (let i = 0; i < count; i++) {
    const cmd = v.getUint32(i * MMUEXT_OP.SIZE + MMUEXT_OP.CMD, true);
    if (!KNOWN_MMUEXT.has(cmd) || NONPAE_REFUSED.has(cmd)) return [-XEN_ERRNO.ENOSYS, i];
  }
  return [0, count];
}

/**
 * do_update_va_mapping(va, val, flags) (xen/arch/x86/mm.c:2638): a va in the hypervisor's hole is
 * -EINVAL (__addr_ok, :2651–2652); otherwise the entry is written and the flush `flags` asks for
 * done. Returns 0.
 */
export function doUpdateVaMapping(va: number, _val: bigint, _flags: number): number {
  if (va >= HYPERVISOR_VIRT_START_NONPAE) return -XEN_ERRNO.EINVAL;
  return 0;
}

/** The hypercalls of this file, by number (xen/include/public/xen.h:49, 60, 61, 73). */
export const MMU_HYPERCALLS = {
  mmu_update: XEN_HYPERCALL.mmu_update,
  multicall: XEN_HYPERCALL.multicall,
  update_va_mapping: XEN_HYPERCALL.update_va_mapping,
  mmuext_op: XEN_HYPERCALL.mmuext_op,
} as const;
