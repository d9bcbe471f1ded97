/**
 * VMware VMI (API 3.0, as merged in Linux 2.6.21): call numbers, cycle counters and alarm
 * flags. Source: include/asm-i386/vmi.h and include/asm-i386/vmi_time.h, as recorded in
 * reference/time-cpu-abi.md §1.4–1.5. Numbers 49–60 and 72 are not defined by those headers.
 */

export const VMI_SIGNATURE = 0x696d5663; // "cVmi"
export const VMI_API_REV_MAJOR = 3;
export const VMI_API_REV_MINOR = 0;

/** VMI_CALL_* numbers, by name. */
export const VMI_CALL = {
  CPUID: 0,
  WRMSR: 1,
  RDMSR: 2,
  SetGDT: 3,
  SetLDT: 4,
  SetIDT: 5,
  SetTR: 6,
  GetGDT: 7,
  GetLDT: 8,
  GetIDT: 9,
  GetTR: 10,
  WriteGDTEntry: 11,
  WriteLDTEntry: 12,
  WriteIDTEntry: 13,
  UpdateKernelStack: 14,
  SetCR0: 15,
  SetCR2: 16,
  SetCR3: 17,
  SetCR4: 18,
  GetCR0: 19,
  GetCR2: 20,
  GetCR3: 21,
  GetCR4: 22,
  WBINVD: 23,
  SetDR: 24,
  GetDR: 25,
  RDPMC: 26,
  RDTSC: 27,
  CLTS: 28,
  EnableInterrupts: 29,
  DisableInterrupts: 30,
  GetInterruptMask: 31,
  SetInterruptMask: 32,
  IRET: 33,
  SYSEXIT: 34,
  Halt: 35,
  Reboot: 36,
  Shutdown: 37,
  SetPxE: 38,
  SetPxELong: 39,
  UpdatePxE: 40,
  UpdatePxELong: 41,
  MachineToPhysical: 42,
  PhysicalToMachine: 43,
  AllocatePage: 44,
  ReleasePage: 45,
  InvalPage: 46,
  FlushTLB: 47,
  SetLinearMapping: 48,
  SetIOPLMask: 61,
  SetInitialAPState: 62,
  APICWrite: 63,
  APICRead: 64,
  IODelay: 65,
  GetCycleFrequency: 66,
  GetCycleCounter: 67,
  SetAlarm: 68,
  CancelAlarm: 69,
  GetWallclockTime: 70,
  WallclockUpdated: 71,
  SetLazyMode: 73,
} as const;

export type VmiCallName = keyof typeof VMI_CALL;

/** Cycle counters: REAL = AVAILABLE + STOLEN (vmi_time.h header comment). */
export const VMI_CYCLES_REAL = 0;
export const VMI_CYCLES_AVAILABLE = 1;
export const VMI_CYCLES_STOLEN = 2;

/** Alarm flags: counter index in bits 7:0, one-shot/periodic, and the interrupt wiring. */
export const VMI_ALARM_COUNTER_MASK = 0x000000ff;
export const VMI_ALARM_IS_ONESHOT = 0x00000000;
export const VMI_ALARM_IS_PERIODIC = 0x00000100;
export const VMI_ALARM_WIRED_IRQ0 = 0x00000000;
export const VMI_ALARM_WIRED_LVTT = 0x00010000;
/** Alarms exist only on REAL and AVAILABLE. */
export const VMI_ALARM_COUNTERS = 2;

/**
 * Balloon-port commands. The VMI ROM has no balloon call: VMware guests balloon through a
 * separate driver (vmmemctl) over a private channel, polling for a target once a second and
 * locking/unlocking pages (reference/memory-balloon.md §1.1). Names only; the port's wire
 * encoding is not modelled.
 */
export const BALLOON_PORT = {
  GetTarget: 'BalloonGetTarget',
  Lock: 'BalloonLock',
  Unlock: 'BalloonUnlock',
} as const;
