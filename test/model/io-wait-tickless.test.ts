// I/O waits go tickless (issue 21): 2.6.21's idle loop calls safe_halt → vmi_safe_halt →
// vmi_stop_hz_timer whenever the CPU idles, whatever its task waits for, so a VMI guest waiting on
// its disk cancels its 100 Hz AVAILABLE alarm like any idle guest; before, the model kept the alarm
// armed through I/O waits, which woke the halted vCPU every 10 ms. And Xen 3.0.4 sends a blocked
// vCPU one VIRQ_TIMER when it resumes after its pCPU's tick advanced.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';

const yaml = (abi: string) => `
name: t
duration: 10s
host: { pcpus: 2, memory: 4GiB, abi: ${abi} }
guests:
  - { name: g, memory: 512MiB, workload: { type: constant, dutyCycle: 0.02, burst: 1ms, resident: 64MiB, wake: io } }
`;

describe('a guest waiting on I/O', () => {
  it('over VMI stops its periodic alarm for each wait and is not woken by it', () => {
    // By hand: bursts Exp(1 ms), waits Exp(49 ms): about 10 s / 50 ms = 200 waits. Each is a
    // tickless halt — CancelAlarm(AVAILABLE), SetAlarm(one-shot, no timer pending), Halt — ended by
    // the completion's interrupt, which re-arms the periodic alarm 10 ms of AVAILABLE time after
    // the last whole jiffy (4 ms at HZ 250): at least 6 ms of running away, which a 1 ms burst
    // reaches with probability e^−6 ≈ 0.25 %. So almost no periodic alarm is ever delivered. Kept
    // armed through the waits, the alarm would fire about 49 / 10 ≈ 4.9 times per wait: ~1,000.
    const r = simulate(spec(yaml('vmi')), { checkInvariants: true });
    expect(r.status, r.error).toBe('ok');
    const g = r.summary!.guests[0]!;
    const waits = g.interfaceCalls.CancelAlarm ?? 0;
    expect(waits).toBeGreaterThan(150);
    expect(waits).toBeLessThan(250);
    // Per wait the one-shot and the periodic re-arm, but for a last wait still going at the end.
    expect(g.interfaceCalls.SetAlarm).toBeGreaterThanOrEqual(2 * waits - 1);
    expect(g.interfaceCalls.SetAlarm).toBeLessThanOrEqual(2 * waits);
    expect(g.timerInterrupts.delivered).toBeLessThan(10);
  });

  it('over Xen calls set_timer_op(0) before each block: no timer is pending', () => {
    const r = simulate(spec(yaml('xen')), { checkInvariants: true });
    expect(r.status, r.error).toBe('ok');
    const c = r.summary!.guests[0]!.interfaceCalls;
    expect(c.set_timer_op).toBe(c['sched_op(block)']);
    expect(c.set_timer_op).toBeGreaterThan(150);
  });

  it('over Xen gets a VIRQ_TIMER on resume when a 10 ms tick passed while it was blocked', () => {
    // Xen 3.0.4 schedule.c:603–611: a vCPU switched back in after its pCPU's t_timer ticked gets
    // send_timer_event. A wait of w ms spans a 10 ms tick with probability min(1, w/10); over
    // Exp(49 ms) waits that averages 4.9 × (1 − e^(−10/49)) ≈ 0.90, so about 90 % of the ~200 waits
    // end with a timer upcall (and each its time accounting). Before, blocked vCPUs got none.
    const r = simulate(spec(yaml('xen')), { checkInvariants: true });
    const g = r.summary!.guests[0]!;
    const waits = g.interfaceCalls['sched_op(block)']!;
    expect(g.timerInterrupts.delivered).toBeGreaterThan(0.75 * waits);
    expect(g.timerInterrupts.delivered).toBeLessThan(1.05 * waits);
  });
});
