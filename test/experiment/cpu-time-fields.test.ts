// The scheduling and timekeeping fields of an experiment: defaults, and one clear message (file,
// line, column, field) for each kind of bad value.
import { describe, expect, it } from 'vitest';
import { experiment, spec } from '../helpers/experiment.js';

const exp = (host: string, guest: string) => `
name: t
duration: 1s
host: { pcpus: 2, memory: 4GiB${host} }
guests:
  - { name: g, vcpus: 2, memory: 1GiB, workload: { type: constant }${guest} }
`;

describe('cpu and kernel clock fields', () => {
  it('default to Xen/ESX defaults: weight 256, normal shares (1000), no cap, every pCPU, HZ 250, catch-up', () => {
    const s = spec(exp('', ''));
    expect(s.guests[0]!.cpu).toEqual({
      weight: 256,
      capPct: 0,
      sharesPerVcpu: 1000,
      reservationMHz: 0,
      limitMHz: 0,
      affinity: null,
    });
    expect(s.guests[0]!.clock).toBe('auto');
    expect(s.guests[0]!.hz).toBe(250);
    expect(s.host.timer.name).toBe('catch-up');
    expect(s.host.timer.options).toEqual({ giveUpAfter: 60e9, speedup: 1 });
  });

  it('takes share levels by name and affinity as a sorted set', () => {
    const s = spec(exp('', ', cpu: { shares: high, affinity: [1, 0, 1] }'));
    expect(s.guests[0]!.cpu.sharesPerVcpu).toBe(2000);
    expect(s.guests[0]!.cpu.affinity).toEqual([0, 1]);
  });

  it.each([
    [
      ', cpu: { affinity: [0, 2] }',
      /test\.yaml:6:\d+: guests\[0\]\.cpu\.affinity\[1\]: pCPU 2 does not exist \(the host has pCPUs 0\.\.1\)/,
    ],
    [
      ', cpu: { cap: 250 }',
      /guests\[0\]\.cpu\.cap: cap 250% is more than the guest's 2 vCPU\(s\) can use \(at most 200\)/,
    ],
    [', cpu: { reservation: 7000 }', /guests\[0\]\.cpu\.reservation: reservation 7000 MHz is more than/],
    [
      ', cpu: { reservation: 2000, limit: 1000 }',
      /guests\[0\]\.cpu\.limit: limit 1000 MHz is below the reservation/,
    ],
    [', cpu: { shares: medium }', /guests\[0\]\.cpu\.shares/],
    [', kernel: { hz: 200 }', /guests\[0\]\.kernel\.hz/],
    [
      ', kernel: { clock: xen-pvclock }',
      /guests\[0\]\.kernel\.clock: clock 'xen-pvclock' needs host\.abi xen, but the host offers vmi/,
    ],
  ])('rejects %s', (guest, message) => {
    expect(() => experiment(exp('', guest))).toThrow(message);
  });

  it('rejects an unknown timer delivery policy with the closest name', () => {
    expect(() => experiment(exp(', timer: { delivery: catchup }', ''))).toThrow(
      /host\.timer\.delivery: unknown timer delivery policy 'catchup'; expected one of catch-up, discard, merge, slew; did you mean 'catch-up'\?/,
    );
  });
});
