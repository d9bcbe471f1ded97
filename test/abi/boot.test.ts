// Boot-time binding: a VMI guest binds the ROM only when check_vmi_rom accepts it, otherwise it
// runs native (visible in its statistics); both interfaces are handed the same Linux IDT, VMI
// gate by gate and Xen as one trap table.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';
import { linuxBootIdt } from '../../sim/guest/linux-idt.js';
import { presentGates } from '../../sim/abi/i386/idt.js';
import { toXenTrapInfo } from '../../sim/abi/xen/trap-info.js';

const exp = (host: string) => `
name: t
duration: 10s
host: { pcpus: 2, memory: 4GiB, ${host}, balloon: { policy: static, fraction: 0.2 } }
guests:
  - { name: a, memory: 1GiB, workload: { type: constant, dutyCycle: 0.5, burst: 2ms, resident: 100MiB } }
`;

describe('boot: binding the interface', () => {
  it('a good VMI ROM is bound', () => {
    const g = simulate(spec(exp('abi: vmi')), { checkInvariants: true }).summary!.guests[0]!;
    expect(g.interface).toBe('vmi');
    expect(g.interfaceNote).toBeUndefined();
    expect(g.balloonActualMiB).toBe(204.796875); // floor(0.2 × 262,144) pages = 52,428 pages
  });

  for (const [what, rom, reason] of [
    ['a non-GPL license', '{ license: Proprietary }', /licen[cs]e/i],
    ['API major 2', '{ apiMajor: 2 }', /major|version/i],
  ] as const) {
    it(`a ROM with ${what} is refused: the guest runs native, without balloon or steal`, () => {
      const r = simulate(spec(exp(`abi: vmi, vmiRom: ${rom}`)), { checkInvariants: true });
      const g = r.summary!.guests[0]!;
      expect(g.interface).toBe('native');
      expect(g.interfaceNote).toMatch(/^VMI ROM refused: /);
      expect(g.interfaceNote).toMatch(reason);
      expect(g.interfaceCalls['HLT (trapped)']).toBeGreaterThan(0);
      expect(g.interfaceCalls.GetCycleCounter).toBeUndefined();
      expect(g.balloonActualMiB).toBe(0);
    });
  }
});

describe('boot: the IDT', () => {
  it('Linux installs 244 present gates; Xen gets 243 trap_info entries (no task gate) + terminator', () => {
    const idt = linuxBootIdt();
    expect(presentGates(idt)).toBe(244);
    const t = toXenTrapInfo(idt);
    expect(t.entries).toHaveLength(243);
    expect(t.bytes).toBe(8 * 244);
  });

  it('VMI writes gate by gate; Xen makes one set_trap_table hypercall', () => {
    const vmi = simulate(spec(exp('abi: vmi'))).summary!.guests[0]!;
    const xen = simulate(spec(exp('abi: xen'))).summary!.guests[0]!;
    expect(vmi.interfaceCalls.WriteIDTEntry).toBe(244);
    expect(xen.interfaceCalls.set_trap_table).toBe(1);
  });
});

describe('steal as the guest sees it', () => {
  const busy = (host: string) => `
name: t
duration: 20s
host: { pcpus: 1, memory: 4GiB, ${host} }
guests:
  - { name: 'g-{i}', count: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 0.7, burst: 50ms, resident: 100MiB } }
`;
  it('VMI and Xen guests read their steal through the interface; a native guest sees none', () => {
    for (const abi of ['abi: vmi', 'abi: xen']) {
      for (const g of simulate(spec(busy(abi))).summary!.guests) {
        // Demand 1.4 pCPUs on 1: real steal. The guest's reading lags by at most one sleep.
        expect(g.stealPct).toBeGreaterThan(10);
        expect(Math.abs(g.seenStealPct - g.stealPct)).toBeLessThan(1);
      }
    }
    for (const g of simulate(spec(busy('abi: vmi, vmiRom: { license: Proprietary }'))).summary!.guests) {
      expect(g.stealPct).toBeGreaterThan(10);
      expect(g.seenStealPct).toBe(0);
    }
  });
});
