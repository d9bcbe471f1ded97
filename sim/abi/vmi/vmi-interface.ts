/**
 * VMware VMI as a registered interface (sim/abi/interface.ts): the guest binds the ROM the host
 * offers only if Linux 2.6.21's check_vmi_rom accepts it (else it runs native), keeps the `vmi`
 * clock (REAL/AVAILABLE counters read at a periodic alarm on AVAILABLE), and calls through VmiOps.
 */
import type { GuestClockDecl, InterfaceDecl } from '../interface.js';
import { encodeVmiRom, probeVmiRom, VMI_ROM_SCAN_END, VMI_ROM_SCAN_START } from './rom.js';
import { VMI_ARG_WORDS } from './arg-words.js';
import { withRegisterArgs } from '../register-args.js';
import { VmiOps } from './vmi-ops.js';

/** Where the host places its ROM in the option-ROM area the guest scans. */
export const VMI_ROM_BASE = 0xc8000;

/**
 * 2.6.21 vmitime.c (sim/guest/timekeeping.ts): REAL and AVAILABLE read at each alarm, tickless
 * idle (vmi_safe_halt), and on leaving it the idle time accounted and the periodic alarm re-armed
 * (vmi_account_time_restart_hz_timer). The periodic alarm runs on AVAILABLE at CONFIG_VMI_ALARM_HZ,
 * so it falls due while the vCPU runs or is halted with it armed (reference/time-cpu-abi.md
 * §1.5–1.6). vmi_stop_hz_timer stays periodic when `time_before_eq(next, jiffies +
 * HZ/CONFIG_VMI_ALARM_HZ)` (2.6.21 vmitime.c; CONFIG_VMI_ALARM_HZ is 100 whatever the boot-time
 * alarm rate): a sleep of at most HZ/100 jiffies (10 ms at HZ 1000, 8 ms at 250) halts with the alarm armed.
 */
/** vmi_time.h: the alarm rate the short-sleep test divides HZ by (not the boot option). */
export const CONFIG_VMI_ALARM_HZ = 100;

export const VMI_CLOCK: GuestClockDecl = {
  name: 'vmi',
  gloss: 'REAL/AVAILABLE counters',
  paravirtual: true,
  accountsOnIdleExit: true,
  periodicSleepJiffies: (hz) => Math.floor(hz / CONFIG_VMI_ALARM_HZ),
  periodicTimer: (kernel) => ({ mode: 'available', hz: kernel.vmiAlarmHz, streams: 1 }),
};

export const vmiInterface: InterfaceDecl = {
  name: 'vmi',
  description: 'VMware VMI: calls into a ROM in the guest; some complete there, others leave the guest',
  catalogue: { label: 'VMI', counts: 'ROM calls, device and balloon-port accesses, and EOI writes' },
  clock: VMI_CLOCK,
  memorySemantics: 'esx',
  /** vmi.c: reserve_top_address(-vmi_rom->virtual_top), the u32 negation. */
  hypervisorHoleBytes: (host) => (2 ** 32 - host.vmiRom.virtualTop) % 2 ** 32,
  /** probe_vmi_rom over the option-ROM area holding the host's ROM (`host.vmiRom`) at 0xC8000. */
  bootCheck(host) {
    const area = new Uint8Array(VMI_ROM_SCAN_END - VMI_ROM_SCAN_START);
    area.set(encodeVmiRom(host.vmiRom), VMI_ROM_BASE - VMI_ROM_SCAN_START);
    const probe = probeVmiRom(area);
    if (probe.found) return { accepted: true };
    const why = probe.refused.length > 0 ? probe.refused.map((r) => r.reason).join('; ') : probe.reason;
    return { accepted: false, reason: `VMI ROM refused: ${why}` };
  },
  create: ({ hv, guest, costs }) => new VmiOps(withRegisterArgs(hv, VMI_ARG_WORDS), guest, costs),
};
