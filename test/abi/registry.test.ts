// The interface registry: what `host.abi` and `kernel.clock` accept, and the clock a guest ends
// up keeping — checked through experiments, as a user meets them.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { refusal, spec } from '../helpers/experiment.js';
import { callCatalogue } from '../../sim/abi/registry.js';

const exp = (host: string, clock: string) => `
name: t
duration: 2s
host: { pcpus: 1, memory: 2GiB, ${host} }
guests:
  - { name: a, memory: 512MiB, kernel: { clock: ${clock} }, workload: { type: constant, dutyCycle: 0.5 } }
`;
const guest = (host: string, clock: string) =>
  simulate(spec(exp(host, clock)), { checkInvariants: true }).summary!.guests[0]!;

describe('interface registry', () => {
  it('refuses a paravirtual clock over another interface, naming both', () => {
    expect(refusal(exp('abi: xen', 'vmi'))).toMatch(
      /guests\[0\]\.kernel\.clock: clock 'vmi' needs host\.abi vmi, but the host offers xen; use 'tick-counting', 'auto' or the matching interface/,
    );
    expect(refusal(exp('abi: vmi', 'xen-pvclock'))).toMatch(/clock 'xen-pvclock' needs host\.abi xen/);
    expect(refusal(exp('abi: bochs', 'auto'))).toMatch(/host\.abi/);
  });

  it('gives auto the bound interface’s clock, and tick counting to a guest that asks for it', () => {
    expect([guest('abi: vmi', 'auto').clock, guest('abi: xen', 'auto').clock]).toEqual([
      'vmi',
      'xen-pvclock',
    ]);
    expect(guest('abi: xen', 'tick-counting').clock).toBe('tick-counting');
  });

  it('falls back to counting ticks when the guest refused the interface its clock needs', () => {
    const g = guest('abi: vmi, vmiRom: { apiMajor: 2 }', 'vmi');
    expect([g.interface, g.clock]).toEqual(['native', 'tick-counting']);
    expect(g.interfaceNote).toMatch(/^VMI ROM refused: .*; clock 'vmi' unavailable, counting ticks$/);
  });

  it('states what each interface counts, as the report did before the interfaces declared it', () => {
    expect(callCatalogue()).toBe(
      'VMI counts ROM calls, device and balloon-port accesses, and EOI writes; Xen counts hypercalls, and its shared-memory clock reads, event upcalls and event-mask writes (no transition, 0 cycles).',
    );
  });
});
