// Memory and balloon model: static targets reached at the driver's rate, targets a guest cannot
// meet left unmet, host free/swapped arithmetic; expected numbers worked out by hand below.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';
import type { RunResult } from '../../sim/results/types.js';
import { HostMemory } from '../../sim/host/memory.js';
import { MEMORY_SEMANTICS } from '../../sim/spec/memory-semantics.js';
import { DEFAULT_LOCALITY } from '../../workloads/types.js';

const exp = (hostMem: string, balloon: string, guests: string, hostExtra = '') => `
name: t
duration: 10s
host: { pcpus: 1, memory: ${hostMem}, balloon: ${balloon}${hostExtra} }
guests:
${guests}
`;

function column(r: RunResult, name: string): number[] {
  const s = r.series!;
  const i = s.columns.findIndex((c) => c.name === name);
  expect(i, `column ${name}`).toBeGreaterThanOrEqual(0);
  return s.values[i]!;
}

/**
 * Two guests that have touched 964 MiB each, without ballooning, on 1 GiB of host memory; by
 * default on a disk as good as free (the host's swap-outs and the pages the guests read back take
 * no time), so the arithmetic of what is swapped stands alone.
 */
const runTightHost = (bandwidthPerS = '1000TB') =>
  simulate(
    spec(
      exp(
        '1GiB',
        '{ policy: none }',
        "  - { name: 'g-{i}', count: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 0.2, resident: 900MiB } }",
        `, storage: { requestLatency: 0s, bandwidthPerS: ${bandwidthPerS} }`,
      ),
    ),
    { checkInvariants: true },
  );

/** One small guest on a host with plenty of memory, no ballooning. */
const runRoomyHost = () =>
  simulate(
    spec(
      exp(
        '8GiB',
        '{ policy: none }',
        '  - { name: a, memory: 1GiB, workload: { type: constant, resident: 100MiB } }',
      ),
    ),
    { checkInvariants: true },
  );

describe('balloon model', () => {
  it('static 25 % of a 1 GiB guest inflates 64 MiB per poll to 256 MiB', () => {
    const r = simulate(
      spec(
        exp(
          '8GiB',
          '{ policy: static, fraction: 0.25 }',
          '  - { name: a, memory: 1GiB, workload: { type: constant, dutyCycle: 0.2, resident: 100MiB } }',
        ),
      ),
      { checkInvariants: true },
    );
    // Target: 0.25 × 262,144 pages = 65,536 pages = 256 MiB. The driver polls at 0.5 s, 1.5 s, ...
    // and moves at most 16,384 pages (64 MiB) per poll, so samples at 1..5 s read 64, 128, 192, 256, 256.
    expect(column(r, 'a_balloon_actual_MiB').slice(0, 5)).toEqual([64, 128, 192, 256, 256]);
    expect(column(r, 'a_balloon_target_MiB')[0]).toBe(256);
    // The kernel: its 64 MiB reserve, plus mem_map (262,144 pages × 32 B = 8 MiB) and the boot
    // hashes sized with its 832 MiB of lowmem (896 less VMI's 64 MiB hole): dentry 2^17 and inode
    // 2^16 buckets of 4 B, 0.75 MiB; 72.75 MiB. Page tables for 100 MiB (25,600 pages): 25 PTE pages
    // + 1 directory = 26 pages = 0.1015625 MiB.
    // Host: 8 GiB = 8192 MiB of frames. The guest has touched only its kernel's memory and its
    // processes', 72.75 + 0.1015625 + 100 MiB; its free pages hold no frames, so the balloon (which
    // takes free pages) gives none back. With 32 MiB of overhead: 8192 − 172.8515625 − 32 MiB free.
    expect(column(r, 'host_free_MiB').at(-1)).toBeCloseTo(7987.1484375, 5); // series keep 6 decimals
    // Guest free: 1024 − 72.8515625 (kernel and page tables) − 100 (resident) − 256 (balloon).
    expect(column(r, 'a_free_MiB').at(-1)).toBeCloseTo(595.1484375, 5);
    const calls = r.summary!.guests[0]!.interfaceCalls;
    expect(calls.BalloonLock).toBe(65_536);
    expect(calls.BalloonGetTarget).toBe(10); // polls at 0.5 s … 9.5 s
  });

  it('reaches a target the guest has no free memory for only slowly, by swapping', () => {
    const r = simulate(
      spec(
        exp(
          '8GiB',
          '{ policy: static, fraction: 0.25 }',
          '  - { name: a, memory: 1GiB, workload: { type: constant, dutyCycle: 0.2, resident: 900MiB } }',
        ),
      ),
      { checkInvariants: true },
    );
    // Free before ballooning: 1024 − 72.75 (kernel, see above) − 900 − 226 page-table pages
    // (230,400 / 1024 + 1 = 0.8828125 MiB) = 50.3671875 MiB; above minFree (16 MiB) 8,798 pages
    // come at once. Beyond that the guest must swap, at vmw_balloon's adaptive rate: 512 pages at
    // the first poll, +16 per poll, so 512 + 528 + … + 656 = 5,840 pages over the 10 polls.
    // 8,798 + 5,840 = 14,638 pages = 57.1796875 MiB, far from the 256 MiB target.
    expect(column(r, 'a_balloon_actual_MiB').at(-1)).toBeCloseTo(57.1796875, 5);
    expect(column(r, 'a_balloon_target_MiB').at(-1)).toBe(256);
    expect(column(r, 'a_free_MiB').at(-1)).toBe(16);
    const g = r.summary!.guests[0]!;
    expect(g.swapOutPages).toBeGreaterThanOrEqual(5840);
  });

  it('without ballooning, guest memory beyond the host frames is host-swapped', () => {
    const r = runTightHost();
    // Two guests that touched 72.75 (kernel with its mem_map and hashes) + 0.8828125 (page tables)
    // + 900 = 973.6328125 MiB each, plus 2 × 32 MiB of overhead, on 1 GiB of frames: 2011.265625 −
    // 1024 = 987.265625 MiB too many. In the hard state the host swaps until free memory is back at
    // the soft threshold, 4 % of 262,144 pages = 10,486 pages (40.9609375 MiB): 1028.2265625 MiB
    // swapped, 40.96 MiB free. (The guests' touches bring pages back between samples, and the
    // host swaps them out again.)
    expect(column(r, 'host_swapped_MiB').at(-1)).toBeCloseTo(1028.2265625, 2);
    expect(column(r, 'host_free_MiB').at(-1)).toBeCloseTo(40.96, 2);
    expect(r.summary!.metrics.balloon_total_MiB).toBe(0);
    for (const g of r.summary!.guests) expect(g.hostBlockedS).toBe(0);
  });

  it('a disk of limited rate blocks the guests that need frames until it has written them', () => {
    const fast = runTightHost();
    const slow = runTightHost('32MiB');
    // At boot the host swaps the 968 MiB it lacks; at 32 MiB/s its disk is busy writing them until
    // 968/32 = 30.25 s, past the end of the run. Each guest's first memory tick (polls staggered at
    // 1/3 s and 2/3 s) brings some pages back by touching them, so it needs frames the host can only
    // get by swapping again, queued behind those 30 s: the guest is blocked from then to the end.
    const [a, b] = slow.summary!.guests;
    expect(a!.hostBlockedS).toBeCloseTo(10 - 1 / 3, 5);
    expect(b!.hostBlockedS).toBeCloseTo(10 - 2 / 3, 5);
    // Blocked guests do (almost) nothing: less than a third of the work of the unlimited device.
    for (const [i, g] of slow.summary!.guests.entries())
      expect(g.workDoneCpuS).toBeLessThan(fast.summary!.guests[i]!.workDoneCpuS / 3);
  });

  it('a hold by the host overlaps the guest’s own fault stalls: no vCPU stalls longer than the run', () => {
    // Two 2-vCPU guests thrashing on a host short of frames, with a slow swap device: each is held
    // at almost every poll, and its own major faults queue on its swap device at the same time.
    // Stalls are time, so per guest they cannot exceed vCPUs × 30 s, and the hold (wall time the
    // host held the guest) cannot exceed the run.
    const r = simulate(
      spec(
        exp(
          '1GiB',
          '{ policy: none }',
          "  - { name: 'g-{i}', count: 2, vcpus: 2, memory: 1GiB, workload: { type: memhog, dutyCycle: 1, start: 600MiB, rate: 20MiB, max: 900MiB } }",
          ', storage: { bandwidthPerS: 8MiB }',
        ).replace('duration: 10s', 'duration: 30s'),
      ),
      { checkInvariants: true },
    );
    for (const g of r.summary!.guests) {
      expect(g.hostBlockedS).toBeGreaterThan(10);
      expect(g.hostBlockedS).toBeLessThanOrEqual(30);
      expect(g.faultStallS).toBeGreaterThan(g.hostBlockedS);
      expect(g.faultStallS).toBeLessThanOrEqual(2 * 30);
    }
  });

  it('clamps a target to what the guest can give, and says so on the trace bus', () => {
    const events: { guest: number; requestedPages: number; appliedPages: number }[] = [];
    simulate(
      spec(
        exp(
          '8GiB',
          '{ policy: static, fraction: 0.95 }',
          '  - { name: a, memory: 1GiB, workload: { type: constant, dutyCycle: 0.2, resident: 100MiB } }',
        ),
      ),
      { subscribe: (trace) => trace.on('balloon.target', (e) => events.push(e)) },
    );
    // Requested: floor(0.95 × 262,144) = 249,036 pages. Ceiling: total − kernel (64 MiB reserve +
    // 8.75 MiB mem_map and hashes = 18,624 pages) − minFree (16 MiB = 4,096 pages) = 239,424
    // pages. One change, at t = 0.
    expect(events).toEqual([{ atNs: 0, guest: 0, requestedPages: 249_036, appliedPages: 239_424 }]);
  });
});

describe('guest memory limits', () => {
  const oomExp = (deflateOnOom: boolean) => `
name: t
duration: 30s
host: { pcpus: 1, memory: 4GiB, balloon: { policy: static, fraction: 0.5 } }
guests:
  - { name: g, memory: 512MiB, kernel: { swap: 0B, deflateOnOom: ${deflateOnOom} }, workload: { type: memhog, start: 100MiB, rate: 20MiB, max: 400MiB } }
`;

  it('without swap a growing demand that meets the balloon ends in OOM; deflate-on-oom gives the pages back', () => {
    // 512 MiB − 64 reserved − 4.375 mem_map and hashes (131,072 × 32 B; 2^16 and 2^15 buckets
    // of 4 B for 512 MiB of lowmem) − 256 balloon − 16 minFree = 171.625 MiB = 43,936 pages for the
    // memhog and its page tables, A + ⌈A/1024⌉ + 1: A = 43,892 pages = 171.453125 MiB (it wants 400).
    const plain = simulate(spec(oomExp(false)), { checkInvariants: true }).summary!.guests[0]!;
    expect(plain.oomEvents).toBeGreaterThan(0);
    expect(plain.anonMiB).toBe(171.453125);
    expect(plain.balloonActualMiB).toBe(256);
    // With deflate-on-oom the driver releases balloon pages at each OOM until the demand fits:
    // 512 − 68.375 − 16 − 400 − 101 page-table pages (0.39453125 MiB) = 27.23046875 MiB of
    // balloon can stay.
    const deflating = simulate(spec(oomExp(true)), { checkInvariants: true }).summary!.guests[0]!;
    expect(deflating.anonMiB).toBe(400);
    expect(deflating.balloonActualMiB).toBe(27.23046875);
    expect(deflating.oomEvents).toBeLessThan(plain.oomEvents);
  });

  it('an i386 guest needs PAE for more than 4 GiB, and can have at most 64 GiB', () => {
    const g = (mem: string, pae: boolean) => `
name: t
duration: 1s
host: { pcpus: 1, memory: 128GiB }
guests:
  - { name: big, memory: ${mem}, pae: ${pae}, workload: { type: constant } }
`;
    expect(() => spec(g('5GiB', false))).toThrow(
      /guests\[0\]\.memory: an i386 guest without PAE addresses at most 4GiB \(set pae: true for up to 64GiB\), found 5GiB/,
    );
    expect(spec(g('5GiB', true)).guests[0]!.memoryBytes).toBe(5 * 1024 ** 3);
    expect(() => spec(g('65GiB', true))).toThrow(/with PAE addresses at most 64GiB/);
  });
});

describe('page sharing', () => {
  it('saves (n − 1)/n of identical kernel pages and (m − 1)/m of identical workload pages', () => {
    const r = simulate(
      spec(`
name: t
duration: 60s
host: { pcpus: 2, memory: 8GiB, sharing: { scanRate: 1000000, kernelFraction: 0.5, workloadFraction: 0.1 } }
guests:
  - { name: 'web-{i}', count: 4, memory: 512MiB, workload: { type: constant, dutyCycle: 0.1, resident: 200MiB } }
  - { name: db, memory: 512MiB, workload: { type: idle, resident: 200MiB } }
`),
      { checkInvariants: true },
    );
    const [web, , , , db] = r.summary!.guests;
    // Kernel: 0.5 × 68.375 MiB (the 64 MiB reserve and the 4.375 MiB of mem_map and hashes a
    // 512 MiB guest sizes at boot; kernelFraction applies to all of it) = 34.1875 MiB identical
    // across all 5 guests → × 4/5 = 27.35 MiB saved each. Workload: 0.1 × 200 MiB = 20 MiB
    // identical among the 4 `constant` guests → 20 × 3/4 = 15 MiB; the lone `idle` guest shares
    // no workload pages.
    expect(web!.sharedSavedMiB).toBeCloseTo(27.35 + 15, 1);
    expect(db!.sharedSavedMiB).toBeCloseTo(27.35, 1);
    expect(r.summary!.metrics.shared_saved_MiB).toBeCloseTo(4 * 42.35 + 27.35, 0);
  });

  it('saves no more frames than a guest holds when most of its memory is untouched and host-swapped', () => {
    // Four guests that touched only 64 + 32 MiB of 512 MiB each; 300 MiB of host memory, so the
    // host swaps over half of what they touched. Identical pages are counted only among those the
    // host did not swap: a fraction hostSwapped / touched is swapped, not hostSwapped / (memory −
    // balloon) — with 416 MiB untouched that overstated what sharing saves beyond the frames the
    // guest holds ('guest 0: host-swapped pages 14332 out of range').
    const r = simulate(
      spec(`
name: t
duration: 10s
host: { pcpus: 1, memory: 300MiB, storage: { requestLatency: 0s, bandwidthPerS: 1000TB }, sharing: { scanRate: 1000000, kernelFraction: 1, workloadFraction: 1 } }
guests:
  - { name: 'g-{i}', count: 4, memory: 512MiB, workload: { type: constant, dutyCycle: 0.1, resident: 32MiB } }
`),
      { checkInvariants: true },
    );
    expect(r.error).toBeUndefined();
    for (const g of r.summary!.guests) {
      expect(g.hostSwappedMiB).toBeGreaterThan(0);
      expect(g.sharedSavedMiB).toBeGreaterThan(0);
      // Frames saved and pages swapped are both among the 96 MiB the guest touched.
      expect(g.sharedSavedMiB + g.hostSwappedMiB).toBeLessThanOrEqual(64 + 32);
    }
  });

  it('the host swaps until it has the frames it hands out, though swapping shrinks what sharing saves', () => {
    // Eight small guests share their whole kernel (the scanner finds it within the first poll);
    // at 3 s the big guest grows by 1400 MiB and the host must swap as much. A page swapped from a
    // guest with shared pages frees less than a frame (fewer of its pages are in memory to share),
    // so swapping just the shortfall once left the host short ('host: 277344 frames in use, but the
    // host has 262144'); the device, busy for seconds, leaves no background reclaim to cover it.
    const r = simulate(
      spec(`
name: t
duration: 10s
host: { pcpus: 2, memory: 1GiB, storage: { bandwidthPerS: 4MiB }, sharing: { scanRate: 10000000, kernelFraction: 1, workloadFraction: 0 } }
guests:
  - { name: 'small-{i}', count: 8, memory: 256MiB, workload: { type: idle, resident: 1MiB } }
  - name: big
    memory: 2GiB
    workload:
      type: phases
      phases:
        - { for: 3s, type: idle, resident: 100MiB }
        - { for: 10s, type: constant, dutyCycle: 0.05, resident: 1500MiB }
`),
      { checkInvariants: true },
    );
    // Invariants are checked after every event: a host short of frames fails the run.
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('ok');
  });

  it('is off by default', () => {
    const r = runRoomyHost();
    expect(r.summary!.guests[0]!.sharedSavedMiB).toBe(0);
  });
});

describe('stuck balloon drivers', () => {
  it('count as stuck after 5 polls without progress toward an unmet target', () => {
    const r = simulate(
      spec(
        exp(
          '8GiB',
          '{ policy: static, fraction: 0.25 }',
          '  - { name: a, memory: 1GiB, kernel: { swap: 0B }, workload: { type: constant, dutyCycle: 0.2, resident: 900MiB } }',
        ),
      ),
      { checkInvariants: true },
    );
    const g = r.summary!.guests[0]!;
    // Without swap the guest can give only its free memory above the reserve, 1024 − 72.75
    // (kernel) − 0.8828125 (page tables) − 900 − 16 = 34.3671875 MiB, at the first poll (0.5 s).
    // The polls at 1.5 … 5.5 s make no progress; from the fifth of them (5.5 s) to the last
    // (9.5 s) the driver counts as stuck: 5 polls, 5 s.
    expect(g.balloonActualMiB).toBe(34.3671875);
    expect(g.balloonStuckS).toBe(5);
  });
});

describe('host memory states', () => {
  it('a host that must swap spends its time in the hard state; one with room, none', () => {
    const tight = runTightHost();
    // Overcommitted from boot: swapped back to the soft threshold, it never climbs past soft +
    // hysteresis (5 %), so it stays in the hard state the whole 10 s.
    expect(tight.summary!.metrics.host_hard_or_low_s).toBe(10);
    const roomy = runRoomyHost();
    expect(roomy.summary!.metrics.host_hard_or_low_s).toBe(0);
  });

  it('in the low state the host blocks the guests above their target, and only those', () => {
    // Two guests growing 60 MiB/s from 500 MiB on 1 GiB of frames: every tick finds the host
    // over its frames (judged before it swaps), so it starts in the low state.
    const run = (policy: string, semantics = 'auto') =>
      simulate(
        spec(`
name: t
duration: 30s
host: { pcpus: 2, memory: 1GiB, balloon: ${policy}, storage: { requestLatency: 0s, bandwidthPerS: 1000TB }, memorySemantics: ${semantics} }
guests:
  - { name: 'g-{i}', count: 2, memory: 1GiB, workload: { type: memhog, dutyCycle: 0.2, start: 500MiB, rate: 60MiB, max: 900MiB } }
`),
        { checkInvariants: true },
      );
    const squeezed = run('{ policy: static, fraction: 0.5 }');
    const lowS = squeezed.summary!.metrics.host_hard_or_low_s!;
    const states = column(squeezed, 'host_memory_state');
    expect(states[0]).toBe(3);
    const lowSamples = states.filter((x) => x === 3).length;
    for (const g of squeezed.summary!.guests) {
      // Balloons short of the 512 MiB target (inflating needs guest swapping, at vmw's rate):
      // blocked a poll period (1 s) at each poll that finds the host low — about one per
      // sampled second in the low state, never more than the time spent there.
      expect(g.balloonActualMiB).toBeLessThan(512);
      expect(g.hostBlockedS).toBeGreaterThanOrEqual(lowSamples - 1);
      expect(g.hostBlockedS).toBeLessThanOrEqual(Math.min(lowS, lowSamples + 1));
    }
    // Without a balloon policy no guest has a target to be above: the low state blocks nobody.
    const none = run('{ policy: none }');
    expect(column(none, 'host_memory_state')[0]).toBe(3);
    for (const g of none.summary!.guests) expect(g.hostBlockedS).toBe(0);
    // The blocking is ESX's (§1.5): a KVM host (lazy backing and host swap too) in the same low
    // state blocks no one.
    const kvm = run('{ policy: static, fraction: 0.5 }', 'kvm');
    expect(kvm.summary!.metrics.host_hard_or_low_s).toBeGreaterThan(0);
    for (const g of kvm.summary!.guests) expect(g.hostBlockedS).toBe(0);
  });

  it('the balloon takes highmem first: lowmem only once all of highmem is in it', () => {
    const run = (fraction: number) =>
      simulate(
        spec(
          exp(
            '8GiB',
            `{ policy: static, fraction: ${fraction} }`,
            '  - { name: a, memory: 2GiB, workload: { type: idle, resident: 32MiB } }',
          ).replace('duration: 10s', 'duration: 60s'),
        ),
        { checkInvariants: true },
      ).summary!.guests[0]!;
    // A 2 GiB i386 guest on VMI: lowmem 896 MiB less the ROM's 64 MiB hole = 832 MiB, highmem
    // 2048 − 832 = 1216 MiB. Its memory is nearly all free, so within a minute the driver reaches
    // the static target.
    const half = run(0.5);
    expect(half.balloonActualMiB).toBe(1024);
    expect(half.balloonLowmemMiB).toBe(0);
    const most = run(0.75);
    expect(most.balloonActualMiB).toBe(1536);
    expect(most.balloonLowmemMiB).toBe(1536 - 1216);
  });

  it('refuses a kernel reserve larger than lowmem', () => {
    expect(() =>
      spec(
        exp(
          '8GiB',
          '{ policy: none }',
          '  - { name: a, memory: 2GiB, kernel: { reserved: 1GiB }, workload: { type: idle } }',
        ),
      ),
    ).toThrow(
      /guests\[0\]\.kernel\.reserved: the kernel's lowmem does not fit: reserve 1GiB \+ mem_map and boot hashes sized with memory 16\.75MiB = .*more than its lowmem of 832MiB \(896MiB less the 64MiB hypervisor hole of vmi\)/,
    );
  });
});

/** One guest of 1000 pages as HostMemory sees it; the tests move its pages by hand. */
const soloGuest = () => ({
  name: 'solo',
  totalPages: 1000,
  balloonPages: 0,
  reservedPages: 100,
  anonPages: 100,
  freePages: 800,
  anonDemandPages: 100,
  accessLocality: () => DEFAULT_LOCALITY,
});

const hostMemoryOf = (
  gs: ReturnType<typeof soloGuest>[],
  totalPages: number,
  overheadPagesPerGuest: number,
) =>
  new HostMemory(
    {
      totalPages,
      overheadPagesPerGuest,
      // No thresholds: the host swaps only what it must, so the counts stay round.
      thresholds: { high: 0, soft: 0, hard: 0, low: 0, hysteresis: 0 },
      samplePages: 1,
      samplePeriodNs: 1,
      sharing: { scanRate: 0, kernelFraction: 0, workloadFraction: 0 },
      workloadKind: gs.map(() => 'x'),
      semantics: MEMORY_SEMANTICS.esx,
    },
    gs,
  );

describe('balloon inflation returns the host-swapped share of the touched pages it takes', () => {
  const guest = soloGuest();
  const hostMemory = (g: typeof guest) => hostMemoryOf([g], 10, 0);

  it('taking touched free pages releases S / T of them (worked example of HostMemory.onInflate)', () => {
    const g = { ...guest };
    const m = hostMemory(g);
    // The guest once used 400 of its free pages (anon grew to 500 and fell back): untouched 400.
    g.anonPages = 500;
    g.freePages = 400;
    m.settleUntouched(0);
    g.anonPages = 100;
    g.freePages = 800;
    expect(m.untouched[0]).toBe(400);
    // Touched: 1000 − 400 = 600 pages, all backed; 10 frames: the host swaps 590 of them.
    m.tick(0);
    expect(m.hostSwapped[0]).toBe(590);
    expect(m.backedPages(0)).toBe(10);
    // The balloon takes 400 free pages; the allocator hands out the 400 touched ones first.
    expect(m.touchedPages(0)).toBe(600);
    g.balloonPages = 400;
    g.freePages = 400;
    m.onInflate(0, 400);
    // u = 400 − min(400, 400) = 0 untouched taken; released = round(400 · 590 / 600) = 393.
    expect(m.untouched[0]).toBe(400);
    expect(m.hostSwapped[0]).toBe(590 - 393);
    expect(m.backedPages(0)).toBe(1000 - 400 - 197 - 400);
    m.check();
  });

  it('taking untouched pages releases none: they held no frame and were never swapped', () => {
    const g = { ...guest };
    const m = hostMemory(g);
    // Touched: reserve and anon, 200 pages; the host swaps 190; untouched: the 800 free.
    m.tick(0);
    expect(m.hostSwapped[0]).toBe(190);
    expect(m.touchedPages(0)).toBe(200);
    g.balloonPages = 300;
    g.freePages = 500;
    m.onInflate(0, 300);
    // u = 800 − min(800, 500) = 300: all untouched; released = 0.
    expect(m.untouched[0]).toBe(500);
    expect(m.hostSwapped[0]).toBe(190);
    expect(m.backedPages(0)).toBe(10);
    m.check();
  });

  it('a guest that freed memory it had used, on a host swapping most of it, keeps its counts in range', () => {
    // The guest touches 64 + 300 MiB at boot, the host has room for 40 MiB of it (72 MiB less
    // 32 MiB of overhead) and swaps the rest; at 1 s the workload frees 284 MiB (touched free
    // pages) while 1.6 GiB was never touched. The static balloon takes 64 MiB a poll: untouched
    // pages at 0.5 s, then, at 1.5 s, the touched free ones first. Counting the host-swapped share
    // over every page outside the balloon (untouched ones included) released too few at 1.5 s:
    // 'guest 0: host-swapped pages 80983 out of range' (more host-swapped pages than touched).
    const r = simulate(
      spec(`
name: t
duration: 5s
host: { pcpus: 1, memory: 72MiB, storage: { requestLatency: 0s, bandwidthPerS: 1000TB }, balloon: { policy: static, fraction: 0.9 } }
guests:
  - name: big
    memory: 2GiB
    workload:
      type: phases
      phases:
        - { for: 1s, type: memhog, start: 300MiB, rate: 1MiB, max: 300MiB }
        - { for: 10s, type: idle, resident: 16MiB }
`),
      { checkInvariants: true },
    );
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('ok');
    // Polls at 0.5, 1.5, … 4.5 s, each of 64 MiB of free memory: 320 MiB at 5 s.
    expect(column(r, 'big_balloon_actual_MiB').at(-1)).toBe(320);
  });
});

describe('the running sum of frames in use', () => {
  const guest = soloGuest;
  const hostMemory = (gs: ReturnType<typeof soloGuest>[]) => hostMemoryOf(gs, 10_000, 7);

  it('follows the changes it is told of (frames: 7 overhead per guest + memory − balloon − untouched)', () => {
    const [a, b] = [guest(), guest()];
    const m = hostMemory([a, b]);
    // Both guests start with their 800 free pages untouched: 2 × 7 + 2 × (1000 − 800).
    expect(m.usedPages()).toBe(414);
    // Guest b's anonymous memory grows by 600 pages (free 800 → 200): 14 + 200 + (1000 − 200).
    b.anonPages = 700;
    b.freePages = 200;
    m.settleUntouched(1);
    expect(m.usedPages()).toBe(1014);
    // Guest a's balloon takes 300 untouched pages (free 800 → 500): 14 + (1000 − 300 − 500) + 800.
    a.balloonPages = 300;
    a.freePages = 500;
    m.onInflate(0, 300);
    expect(m.usedPages()).toBe(1014);
    // It gives 100 back, fresh pages that hold no frame: untouched 600, still 200 backed.
    a.balloonPages = 200;
    a.freePages = 600;
    m.onDeflate(0, 100);
    expect(m.usedPages()).toBe(1014);
    m.check();
  });

  it('a change that does not reach guestChanged is an invariant error naming both sums', () => {
    const a = guest();
    const m = hostMemory([a]);
    a.balloonPages = 50;
    expect(() => m.check()).toThrow(
      /host: running sum of frames in use 207, summed over the guests 157 .*HostMemory\.guestChanged/,
    );
    m.guestChanged(0);
    expect(() => m.check()).not.toThrow();
  });
});
