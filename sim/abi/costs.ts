/**
 * The interface cost model: what each kind of guest→hypervisor transition costs in CPU cycles.
 * Every interface call is charged here; the cycles become CPU time of the calling vCPU
 * (cycles / cpuMHz µs), so a guest is slowed by its own transitions, and are counted.
 *
 * Presets by CPU generation, from reference/time-cpu-abi.md §5 (its COST_DEFAULTS tables). Each
 * number's label — structural, sourced, assumption — and source is in sim/abi/cost-sources.ts:
 *  - `p4-2006`: a ~3 GHz NetBurst Pentium 4. VMI call 50 cycles (a near `call rel32` into the
 *    ROM, no trap — structural); leaving the guest ≈ a first-generation VT-x exit + entry round
 *    trip, 3,000 cycles (UNVERIFIED, recalled range 2,000–4,000). Charging a VMI exit that
 *    much is itself an ASSUMPTION, and the one that decides the VMI–Xen comparison: VMI guests
 *    ran under VMware's binary-translating monitor, never VT-x (vSphere 4.0 best practices,
 *    p. 30), so leaving one was a monitor entry and 3,000 an upper bound. Xen hypercall trap
 *    (`int $0x82`, ring 1 → ring 0 and back) 1,000 cycles: the order of a P4 system-call trap
 *    (lmbench null call 0.45 µs at 2.4 GHz ≈ 1,080 cycles, Barham et al. SOSP 2003 Table 3 [R]).
 *  - `modern`: VM exit round trip 1,400 cycles (an SVM measurement, lkml 2020); a hypercall
 *    taken to cost a syscall trap (an ASSUMPTION), 430 cycles (a syscall measured at 434,
 *    mitigations on); the VMI call stays 50 (a what-if: VMI left Linux in 2.6.37).
 * Per-byte copy and per-page costs are not in the reference: they are ASSUMPTIONS (memcpy-like
 * ~1 cycle/byte on a P4, ~0.25 today; a page handed over costs a p2m/frame-table update and a
 * TLB flush, taken as 500 / 250 cycles). Every field can be overridden in `host.costs`.
 * The page-table prices (sim/abi/mmu.ts) are ASSUMPTIONS too, with no published figure: validating
 * or shadowing one entry ≈ a few cache misses on a P4, 200 cycles (100 today); Xen's emulation of a
 * write to a pinned page table (decode, emulate, revalidate: ptwr_do_page_fault, xen/arch/x86/mm.c
 * in 3.0.4) 2,000 cycles on top of its trap (800 today).
 *
 * The interrupt and boot paths (issue 20 items 2–3) use these fields, no new ones:
 *  - VMI interrupt enable/disable, save/restore and IRET, the APICRead before an ICR write,
 *    SetIDT and WriteIDTEntry: `vmiCallCycles` each — inline-patched near calls into the ROM
 *    (vmi.c vmi_patch / para_fill); that none of them exits is an ASSUMPTION (vmi.c and vmi.h do
 *    not say which ROM calls leave the guest). EOI: `vmiCallCycles` + `exitCycles` (ASSUMPTION,
 *    vmi-ops.ts ackInterrupt). An interrupt delivered when a masked section ends: `exitCycles`
 *    (ASSUMPTION, sim/abi/vmi/irq-flag.ts).
 *  - Xen: evtchn_upcall_mask writes and upcalls are shared memory, 0 cycles (XenLinux system.h,
 *    entry-xen.S); force_evtchn_callback's xen_version(0) and every boot hypercall:
 *    `hypercallCycles`, plus `copyCyclesPerByte` for each byte Xen copies from or to guest memory
 *    (sizes in sim/abi/xen/boot-structs.ts).
 *  - Arguments passed in registers (sim/abi/register-args.ts) are counted but cost nothing beyond
 *    the call: they are in the trap frame already; only copies through guest memory are priced.
 */
import { z } from 'zod';
import { suggest } from '../options/fields.js';
import type { CostModel } from '../spec/cost-model.js';

export const COST_PRESETS = {
  'p4-2006': {
    vmiCallCycles: 50,
    exitCycles: 3000,
    hypercallCycles: 1000,
    copyCyclesPerByte: 1,
    pageCycles: 500,
    pteUpdateCycles: 200,
    ptwrEmulateCycles: 2000,
  },
  modern: {
    vmiCallCycles: 50,
    exitCycles: 1400,
    hypercallCycles: 430,
    copyCyclesPerByte: 0.25,
    pageCycles: 250,
    pteUpdateCycles: 100,
    ptwrEmulateCycles: 800,
  },
  /**
   * Everything free: the same guest over VMI and Xen then does identical work — bare metal, as
   * the lmbench validation row uses it for native Linux.
   */
  zero: {
    vmiCallCycles: 0,
    exitCycles: 0,
    hypercallCycles: 0,
    copyCyclesPerByte: 0,
    pageCycles: 0,
    pteUpdateCycles: 0,
    ptwrEmulateCycles: 0,
  },
} as const satisfies Record<string, CostModel>;

export const DEFAULT_COST_PRESET = 'p4-2006';
const PRESET_NAMES = Object.keys(COST_PRESETS);

const cycles = (what: string) => z.number().min(0).optional().describe(what);

const overridesSchema = z.strictObject({
  preset: z
    .string()
    .optional()
    .describe(`starting point: ${PRESET_NAMES.join(', ')} (default ${DEFAULT_COST_PRESET})`),
  vmiCallCycles: cycles('VMI call completed inside the ROM'),
  exitCycles: cycles('transition that leaves the guest (world switch)'),
  hypercallCycles: cycles('Xen hypercall trap and return'),
  copyCyclesPerByte: cycles('copying guest memory into the hypervisor, per byte'),
  pageCycles: cycles('one page handed over or taken back'),
  pteUpdateCycles: cycles('hypervisor work on one page-table entry (validate or shadow), an assumption'),
  ptwrEmulateCycles: cycles('Xen emulating a write to a pinned page table, beyond its trap; an assumption'),
});

function preset(name: string): CostModel | string {
  if (Object.hasOwn(COST_PRESETS, name)) return { ...COST_PRESETS[name as keyof typeof COST_PRESETS] };
  const s = suggest(name, PRESET_NAMES);
  return `unknown cost preset '${name}'; expected one of ${PRESET_NAMES.join(', ')}${s ? `; did you mean '${s}'?` : ''}`;
}

function unknownKey(key: string, known: string[]): string {
  const s = suggest(key, known);
  return `unknown key '${key}'; expected one of ${known.join(', ')}${s ? `; did you mean '${s}'?` : ''}`;
}

/** `host.costs`: a preset name, or `{ preset, ...field overrides }`. Output: a full CostModel. */
export function costsField() {
  return z.unknown().transform((v, ctx): CostModel => {
    if (typeof v === 'string') {
      const p = preset(v);
      if (typeof p === 'string') {
        ctx.addIssue({ code: 'custom', message: p, input: v });
        return z.NEVER;
      }
      return p;
    }
    const r = overridesSchema.safeParse(v);
    if (!r.success) {
      for (const iss of r.error.issues) {
        if (iss.code !== 'unrecognized_keys')
          ctx.addIssue({ code: 'custom', path: iss.path, message: iss.message });
        // One issue per unknown key, at the key.
        else
          for (const k of iss.keys)
            ctx.addIssue({
              code: 'custom',
              path: [...iss.path, k],
              message: unknownKey(k, Object.keys(overridesSchema.shape)),
            });
      }
      return z.NEVER;
    }
    const { preset: name, ...overrides } = r.data;
    const base = preset(name ?? DEFAULT_COST_PRESET);
    if (typeof base === 'string') {
      ctx.addIssue({ code: 'custom', path: ['preset'], message: base, input: name });
      return z.NEVER;
    }
    const out: CostModel = { ...base };
    for (const [k, val] of Object.entries(overrides)) if (val !== undefined) out[k as keyof CostModel] = val;
    return out;
  });
}

/** cycles → ns at `mhz`, rounded down (or up): ns = cycles × 1000 / mhz, split to stay exact. */
export function cyclesToNs(cycles: number, mhz: number, roundUp = false): number {
  const us = Math.floor(cycles / mhz);
  const rem = cycles - us * mhz;
  const part = rem * 1000; // < 1000 × mhz: exact
  return us * 1000 + (roundUp ? Math.ceil(part / mhz) : Math.floor(part / mhz));
}
