/**
 * How the guest kernel keeps time (`guests[].kernel.clock`), fed by the timer interrupts the host
 * delivers (sim/host/vtimer.ts), and how far its clock is from true time.
 *
 *  - `tick-counting`: a periodic-tick kernel at HZ whose wall clock advances one tick (1/HZ s)
 *    per global timer interrupt received on vCPU 0: guest time = jiffies × 10^9 / HZ. It cannot
 *    see steal. Ticks the host never delivers are time the guest loses.
 *  - `vmi` (2.6.21 vmitime.c, reference/time-cpu-abi.md §1.6): at each alarm the guest reads
 *    REAL and AVAILABLE, advances jiffies from REAL in a catch-up loop and accounts steal in
 *    whole jiffies from REAL − AVAILABLE; its clocksource reads REAL, so its wall clock is REAL.
 *  - `xen-pvclock`: time from vcpu_time_info through the pvclock formula (Xen recalibrates once
 *    per simulated second), steal in whole jiffies from the runstate area (2.6.18-xen's
 *    timer_interrupt: stolen = runnable + offline − processed, in NS_PER_TICK units).
 *
 * Tickless idle (both paravirtual clocks), per sleep on a wake-up alarm; the calls are the ops':
 *  - `vmi` (vmi_safe_halt = vmi_stop_hz_timer; Halt; vmi_account_time_restart_hz_timer, reference
 *    §1.4/§1.6): enter = CancelAlarm(AVAILABLE) + SetAlarm(ONESHOT|REAL) + Halt. The one-shot
 *    arrives on LVTT: its handler acks the APIC (EOI) and accounts (vmi_local_timer_interrupt,
 *    "on each alarm interrupt", §1.6: 2 counter reads). The halt then ends: accounting again
 *    (restart_hz_timer reads REAL and AVAILABLE) + SetAlarm(PERIODIC|AVAILABLE). Per sleep:
 *    1 CancelAlarm, 2 SetAlarm, 1 Halt, 1 EOI, 4 GetCycleCounter.
 *    (ack_APIC_irq and the restart's two reads are not in the reference's text; they were read in
 *    the file it cites, vmitime.c @ e585047e: smp_apic_vmi_timer_interrupt,
 *    vmi_account_time_restart_hz_timer.)
 *  - `xen-pvclock` (stop_hz_timer, §2.5): enter = set_timer_op(next) + SCHEDOP_block; the timer
 *    VIRQ arrives as an event upcall (§2.7; that set_timer_op fires VIRQ_TIMER, the only timer
 *    VIRQ §2.2 lists, is not spelled out there) and timer_interrupt accounts once. The reference
 *    names no re-arming on wake, so none is charged. Per sleep: 1 set_timer_op, 1 block,
 *    1 upcall, 1 shared-memory read.
 *  - Any other interrupt that ends a tickless halt (IPI, device) ends it the same way (VMI:
 *    accounting + periodic SetAlarm), and a vCPU whose task still sleeps enters idle again.
 *  - Short sleeps (`periodicSleepJiffies`): vmi_stop_hz_timer skips all this when the next timer
 *    is within HZ/CONFIG_VMI_ALARM_HZ jiffies (2.6.21: `time_before_eq(next, jiffies +
 *    HZ/CONFIG_VMI_ALARM_HZ)`, i.e. ⌈sleep / jiffy⌉ ≤ HZ/100) and the guest just Halts with its
 *    periodic AVAILABLE alarm armed; the sleep ends at the first alarm at or after its expiry
 *    (sim/guest/guest.ts). Example, HZ 1000, alarm 100 Hz: a 5 ms sleep (5 ≤ 10 jiffies) begun
 *    3 ms after an alarm wakes at the next alarm, 7 ms later: 2 ms of timer-granularity delay.
 *  - Waits no kernel timer ends (I/O): the idle loop calls safe_halt whatever the task waits for
 *    (2.6.21 vmi.c vmi_safe_halt; time-xen.c safe_halt), so these halts are tickless too. With no
 *    timer pending (the model's kernels have no timers but the sleeping tasks'),
 *    next_timer_interrupt returns jiffies + LONG_MAX/2: VMI still arms its one-shot, that far
 *    ahead; XenLinux's jiffies_to_st turns it into 0, and set_timer_op(0) cancels. The device's
 *    interrupt ends the halt (VMI: accounting and the periodic alarm restarted, as above).
 *
 * Wake-ups on jiffy boundaries. A workload's timer sleep is a nanosleep: since 2.6.16 an hrtimer,
 * expiring at E = now + the sleep (hrtimer_start, HRTIMER_REL; i386 sets no CONFIG_TIME_LOW_RES,
 * so nothing is added). Neither kernel has a clockevent device for high-resolution mode — XenLinux
 * 3.0.4 is 2.6.16-based, and 2.6.21's VMI timer is tick-based (vmitime.c; clockevents came with
 * vmiclock_32.c in 2.6.22) — so hrtimers run from the timer softirq (run_timer_softirq →
 * hrtimer_run_queues) after a timer interrupt: the task wakes at the first timer interrupt at or
 * after E. Which interrupt that is:
 *  - tick-counting kernels: the periodic tick (k / HZ s), which also wakes the halted vCPU;
 *  - tickless kernels: the one-shot their idle entry arms for the next timer. next_timer_interrupt
 *    (kernel/timer.c, 2.6.16–2.6.20, and 2.6.21 without CONFIG_NO_HZ) returns jiffies +
 *    timespec_to_jiffies(E − now), rounded up; XenLinux arms set_timer_op(jiffies_to_st(next)) =
 *    processed_system_time + (next − jiffies) × NS_PER_TICK (linux-2.6-xen-sparse time-xen.c at
 *    Xen 3.0.4: stop_hz_timer :985–1010, jiffies_to_st :955–979), VMI
 *    SetAlarm(real_cycles_accounted_system + (next − jiffies) × cycles_per_jiffy) (vmitime.c,
 *    vmi_stop_hz_timer). Both bases advance with jiffies, whole jiffies from boot, so the one-shot
 *    is at the boundary of jiffy (jiffies + ⌈(E − now) / jiffy⌉), in true time from boot.
 *    Example, HZ 100 (10 ms jiffies), a 15 ms sleep from t = 3 ms with jiffies current (0):
 *    0 + ⌈15/10⌉ = 2, a one-shot at 20 ms; E = 18 ms, so 2 ms of timer-granularity delay.
 *    Jiffies advance only at the kernel's timer interrupts (VMI: its 100 Hz alarm; Xen: its
 *    VIRQ_TIMER), so at HZ > 100 they are often a few jiffies behind when a task goes to sleep:
 *    the one-shot then comes before E, its handler accounts the jiffies, the hrtimer has not
 *    expired, and the idle loop arms it again — now at the first boundary at or after E. Guests
 *    whose sleeps end within one jiffy thus wake at the same instant: timer-synchronised bursts.
 *    (A timer_list sleep, schedule_timeout(msecs_to_jiffies(ms)), would wake at jiffies + ⌈ms /
 *    jiffy⌉ — up to a jiffy early — and msleep's +1 a jiffy later; the workloads' sleeps are
 *    nanosleeps, so neither is modelled.)
 *    Read at the source: the XenLinux and Xen 3.0.4 lines above, vmitime.c, and
 *    next_timer_interrupt's hrtimer term (as patched into 2.6.16–2.6.21). Recalled, not read
 *    (UNVERIFIED): nanosleep as an hrtimer since 2.6.16, no CONFIG_TIME_LOW_RES rounding on i386,
 *    and the schedule_timeout / msleep rounding in the parenthesis above.
 *
 * Time going backwards (`xen-pvclock`, the clock's backwardJitterNs): XenLinux's timer_interrupt
 * (time-xen.c, Xen 3.0.4) computes delta = now − processed_system_time (guest-wide) and
 * delta_cpu = now − this CPU's processed_system_time, each advanced in whole ticks, and prints
 * "Time went backwards" when either is below −permitted_clock_jitter (10 ms); it then processes no
 * tick, so jiffies never go back (the clamp below). Each such interrupt is counted in
 * `backwardSteps` (the printk itself is rate-limited; the count is not). Example: vCPU 0 reads
 * 1.000 s + 50 ms on a pCPU whose local time is 50 ms ahead, then moves to pCPU 0 and reads
 * 1.010 s: delta = 1.010 − 1.050 = −40 ms < −10 ms, one warning.
 *
 * Optional corrections (`kernel.timeSync`), applied on top as a correction term c(t):
 *  - `ntp`: every `pollInterval` the offset e = true − guest is measured; |e| > 128 ms is stepped,
 *    otherwise slewed over the next interval at |rate| ≤ 500 ppm (MAX_TICKADJ / MAXFREQ,
 *    ntpd's 0.128 s step threshold; reference §4.4);
 *  - `tools`: VMware Tools' timeSync every 60 s (TIMESYNC_TIME): a guest more than 1 s behind is
 *    stepped forward and the host's catch-up backlog is cancelled (BDOOR_CMD_STOPCATCHUP);
 *    otherwise 50 % of the error is slewed over the next period (TIMESYNC_PERCENT_CORRECTION;
 *    reference §4.2). Both slews are applied in true time, a simplification of slewing per tick.
 *
 * Error = true time − guest time (positive: the guest is behind), read by errorNs; the statistics
 * keep its largest |value|, RMS and final value (sim/host/stats/clock-error.ts), the guest none.
 */
import type { GuestClocks, ParavirtOps } from '../abi/types.js';
import type { GuestClockDecl } from '../abi/interface.js';
import type { TimeSync } from '../spec/guest-kernel.js';
import { tickInstantNs } from '../kernel/index.js';

/** ntpd's step threshold (reference §4.4). */
export const NTP_STEP_THRESHOLD_NS = 128_000_000;
/** The kernel's largest frequency correction: ±500 ppm (MAXFREQ, reference §4.4). */
export const NTP_MAX_SLEW = 500e-6;
/** VMware Tools steps only when the guest is more than 1 s behind (timeSync.c). */
export const TOOLS_STEP_THRESHOLD_NS = 1_000_000_000;
export const TOOLS_CORRECTION = 0.5;

/** One time-accounting interrupt as a VMI or Xen guest saw it (for tests and traces). */
export interface VmiAlarmRecord {
  vcpu: number;
  clocks: GuestClocks;
  /** Steal the guest has accounted, whole jiffies × jiffy length, ns. */
  seenStealNs: number;
}

export class GuestTimekeeping {
  /** Ticks counted (tick-counting) or jiffies accounted from REAL / system time (others). */
  jiffies = 0;
  readonly jiffyNs: number;
  /** Steal the guest accounted, in whole jiffies, per vCPU. */
  private readonly stolenJiffies: Float64Array;
  /** The clocks each vCPU read at its last time accounting (undefined before the first). */
  private readonly lastRead: (GuestClocks | undefined)[];
  /** 1 while a vCPU is in tickless idle: entered (idleEnter), its halt not yet ended (idleExit). */
  private readonly idle: Uint8Array;
  /** Time accountings (one clock read per interrupt handled) so far, all vCPUs. */
  reads = 0;
  private corrBaseNs = 0;
  private corrRate = 0;
  private corrSinceNs = 0;
  /** Times the time-sync daemon stepped the clock. */
  steps = 0;
  /** Timer interrupts at which the kernel found its clock behind by more than its jitter. */
  backwardSteps = 0;
  /** Per vCPU: system time processed in whole jiffies (time-xen.c per-CPU processed_system_time). */
  private readonly cpuProcessedNs: Float64Array;
  /** Optional observer of each accounting (tests subscribe through the host's trace). */
  onVmiAlarm: ((r: VmiAlarmRecord) => void) | undefined;
  /**
   * Hands every vCPU of this guest the timer interrupts due to it up to now. Called before state
   * the vCPUs share is read: `jiffies`, which any of them advances when it accounts time, and
   * which of them sleep (a TLB shootdown's targets, sim/guest/guest.ts). A host that settles timers
   * lazily (sim/host/vtimer.ts) may not have handed another vCPU its interrupts yet; an interrupt
   * per tick would have (issue 22, test/model/aggregations-on-off.test.ts).
   */
  settleVcpus: (() => void) | undefined;

  /** The clock's name, as `guests[].kernel.clock` writes it. */
  readonly kind: string;

  constructor(
    /** The clock this kernel keeps, as its interface declares it (sim/abi/interface.ts). */
    readonly clock: GuestClockDecl,
    readonly hz: number,
    vcpus: number,
    private readonly ops: ParavirtOps,
    readonly sync: TimeSync,
  ) {
    this.kind = clock.name;
    this.jiffyNs = 1e9 / hz;
    this.stolenJiffies = new Float64Array(vcpus);
    this.cpuProcessedNs = new Float64Array(vcpus);
    this.lastRead = new Array<GuestClocks | undefined>(vcpus).fill(undefined);
    this.idle = new Uint8Array(vcpus);
  }

  /** True for the paravirtual clocks, whose kernels stop the periodic tick while idle. */
  get tickless(): boolean {
    return this.clock.paravirtual;
  }

  /** `n` timer interrupts (per stream) reached vCPU `vcpu`, the last of them due at `atNs`. */
  ticks(vcpu: number, n: number, atNs?: number): void {
    if (!this.clock.paravirtual) {
      // vCPU 0 also takes the global timer that advances jiffies: two interrupts per tick.
      this.ops.ackInterrupt(vcpu, 'timer', vcpu === 0 ? 2 * n : n);
      if (vcpu === 0) this.jiffies += n;
      return;
    }
    this.ops.ackInterrupt(vcpu, 'timer', n);
    // One accounting for the batch, reading the clocks as the last interrupt's handler did.
    this.account(vcpu, n, atNs);
  }

  /**
   * The guest is about to halt: its idle loop's entry (safe_halt) for a task that sleeps until
   * `expiryNs` (Infinity: a wait no kernel timer ends, an I/O wait). A tickless kernel first stops
   * its periodic timer (VMI's vmi_stop_hz_timer cancels its alarm; Xen has no such call, its ops do
   * nothing), then arms its one-shot (VMI SetAlarm, Xen set_timer_op, native APIC timer write) at
   * the jiffy its next timer expires in (see the header: wake-ups on jiffy boundaries). Returns
   * the instant the one-shot was armed for, Infinity if none can fall due, or −1 if the kernel
   * stays periodic for this sleep (no call; a periodic interrupt ends it): a tick-counting kernel
   * always, a VMI one for `periodicSleepJiffies`.
   * `timerSleep` false: the halt waits for a device, whose completion the one-shot at `expiryNs`
   * stands for (a fault stall), so it is armed there, unrounded, and always tickless.
   */
  idleEnter(vcpu: number, expiryNs: number, nowNs: number, timerSleep = true): number {
    let atNs = expiryNs;
    if (timerSleep && Number.isFinite(expiryNs)) {
      if (!this.tickless) return -1;
      // next_timer_interrupt: jiffies + timespec_to_jiffies(expiry − now), rounded up.
      const next = Math.ceil((expiryNs - nowNs) / this.jiffyNs);
      const short = this.clock.periodicSleepJiffies;
      if (short !== undefined && next <= short(this.hz)) return -1;
      this.settleVcpus?.();
      atNs = tickInstantNs(this.jiffies + next, this.hz);
    } else if (!this.tickless && !Number.isFinite(expiryNs)) return -1;
    if (this.tickless) this.ops.stopPeriodicTimer(vcpu);
    this.ops.armWakeup(vcpu, atNs);
    if (this.tickless) this.idle[vcpu] = 1;
    return atNs;
  }

  /**
   * An interrupt ended `vcpu`'s halt (its handler has run). Leaving tickless idle, a clock that
   * accounts on idle exit (VMI's vmi_account_time_restart_hz_timer: 2 counter reads, then
   * SetAlarm(PERIODIC|AVAILABLE)) accounts the idle time and re-arms its periodic timer; a Xen
   * guest makes no call (see above).
   */
  idleExit(vcpu: number): void {
    if (this.idle[vcpu] === 0) return;
    this.idle[vcpu] = 0;
    if (!this.clock.accountsOnIdleExit) return;
    this.account(vcpu);
    this.ops.restartPeriodicTimer(vcpu);
  }

  /**
   * The vCPU's one-shot wake-up alarm fired. A VMI or Xen guest takes it as an interrupt: VMI's
   * LVTT handler acks the APIC (APICWrite EOI) and Xen's VIRQ_TIMER comes as an event upcall —
   * then it accounts time (vmi_local_timer_interrupt / timer_interrupt). A tick-counting guest's
   * wake-up stands for a timer that expires in a periodic tick's handler, whose ack ticks() has
   * already counted, so it makes no call here.
   */
  wakeAlarm(vcpu: number): void {
    if (!this.tickless) return;
    this.ops.ackInterrupt(vcpu, 'timer');
    this.account(vcpu);
  }

  /** Steal the guest has accounted on `vcpu`, ns. */
  seenStealNs(vcpu: number): number {
    return this.stolenJiffies[vcpu]! * this.jiffyNs;
  }

  /** Steal the guest has accounted on `vcpu`, whole jiffies (its cpustat steal). */
  seenStealJiffies(vcpu: number): number {
    return this.stolenJiffies[vcpu]!;
  }

  /** What `vcpu` read of its clocks at its last time accounting; undefined if it never read them. */
  lastClocks(vcpu: number): GuestClocks | undefined {
    return this.lastRead[vcpu];
  }

  /** vmi_local_timer_interrupt / Xen timer_interrupt: jiffies from real time, steal in jiffies. */
  private account(vcpu: number, interrupts = 1, atNs?: number): void {
    // The last read is refilled in place, unless an observer (a trace) may keep what it is given.
    const c = this.ops.readClocks(
      vcpu,
      interrupts,
      atNs,
      this.onVmiAlarm === undefined ? this.lastRead[vcpu] : undefined,
    );
    this.lastRead[vcpu] = c;
    this.reads += interrupts;
    this.checkBackwards(vcpu, c.realNs);
    const j = Math.floor(c.realNs / this.jiffyNs);
    if (j > this.jiffies) this.jiffies = j;
    const sj = Math.floor(c.stolenNs / this.jiffyNs);
    if (sj > this.stolenJiffies[vcpu]!) this.stolenJiffies[vcpu] = sj;
    this.onVmiAlarm?.({ vcpu, clocks: c, seenStealNs: this.seenStealNs(vcpu) });
  }

  /** time-xen.c timer_interrupt's check (see the header), then its per-CPU tick processing. */
  private checkBackwards(vcpu: number, realNs: number): void {
    const jitter = this.clock.backwardJitterNs;
    if (jitter === undefined) return;
    this.settleVcpus?.();
    const delta = realNs - this.jiffies * this.jiffyNs;
    const deltaCpu = realNs - this.cpuProcessedNs[vcpu]!;
    if (delta < -jitter || deltaCpu < -jitter) this.backwardSteps++;
    const processed = Math.floor(realNs / this.jiffyNs) * this.jiffyNs;
    if (processed > this.cpuProcessedNs[vcpu]!) this.cpuProcessedNs[vcpu] = processed;
  }

  private correctionNs(nowNs: number): number {
    return this.corrBaseNs + this.corrRate * (nowNs - this.corrSinceNs);
  }

  /**
   * The guest's wall clock at true time `nowNs`, ns since boot; `pendingJiffies` are ticks due to
   * vCPU 0 that the host has not handed over yet (see VirtualTimers.pendingTicks).
   */
  clockNs(nowNs: number, pendingJiffies = 0): number {
    const base = this.clock.paravirtual
      ? this.ops.clockNs(nowNs)
      : (this.jiffies + pendingJiffies) * this.jiffyNs;
    return base + this.correctionNs(nowNs);
  }

  /** True − guest time at `nowNs`, ns (positive: the guest is behind). */
  errorNs(nowNs: number, pendingJiffies = 0): number {
    return nowNs - this.clockNs(nowNs, pendingJiffies);
  }

  /**
   * One time-sync round at `nowNs`, the next one `periodNs` later: the error the daemon measured
   * (before correcting it), and whether the host must drop its catch-up backlog (VMware Tools
   * stepped the clock forward: BDOOR_CMD_STOPCATCHUP).
   */
  syncRound(nowNs: number, periodNs: number): { errorNs: number; stopCatchUp: boolean } {
    const e = this.errorNs(nowNs);
    const c = this.correctionNs(nowNs);
    this.corrSinceNs = nowNs;
    if (this.sync === 'ntp') {
      if (Math.abs(e) > NTP_STEP_THRESHOLD_NS) {
        this.corrBaseNs = c + e;
        this.corrRate = 0;
        this.steps++;
        return { errorNs: e, stopCatchUp: false };
      }
      this.corrBaseNs = c;
      this.corrRate = Math.max(-NTP_MAX_SLEW, Math.min(NTP_MAX_SLEW, e / periodNs));
      return { errorNs: e, stopCatchUp: false };
    }
    if (this.sync === 'tools') {
      if (e > TOOLS_STEP_THRESHOLD_NS) {
        this.corrBaseNs = c + e;
        this.corrRate = 0;
        this.steps++;
        return { errorNs: e, stopCatchUp: true };
      }
      this.corrBaseNs = c;
      this.corrRate = (TOOLS_CORRECTION * e) / periodNs;
    }
    return { errorNs: e, stopCatchUp: false };
  }
}
