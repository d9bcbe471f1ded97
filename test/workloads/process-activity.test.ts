// Process activity (workloads/process-activity.ts): presets become rates per CPU-second of the
// workload's own unit of work, YAML overrides any field, bad fields are refused; and the guest turns
// rates into page-table events on the vCPU that did the work (sim/guest/process-driver.ts), which a
// whole run shows as the interface's page-table calls.
import { describe, expect, it } from 'vitest';
import { kernelBuildWorkload } from '../../workloads/kernel-build.js';
import { webWorkload } from '../../workloads/web.js';
import { databaseWorkload } from '../../workloads/database.js';
import { constantWorkload } from '../../workloads/constant.js';
import { KERNEL_BUILD_PRESET, WEB_PRESET, type ProcessActivity } from '../../workloads/process-activity.js';
import type { WorkloadInstance } from '../../workloads/types.js';
import { ProcessDriver } from '../../sim/guest/process-driver.js';
import type { ParavirtOps } from '../../sim/abi/types.js';
import type { MmuEvent } from '../../sim/abi/mmu.js';
import { simulate } from '../../sim/host/run.js';
import { experiment, spec } from '../helpers/experiment.js';
import { fakeCtx } from './fake-ctx.js';
import { VMI_MMU_CALL } from '../../sim/abi/vmi/mmu.js';

/** The activity a workload declares for options `raw` (undefined: none). */
function activityOf<O>(
  decl: { options: { parse(x: unknown): O }; create(o: O, c: ReturnType<typeof fakeCtx>): WorkloadInstance },
  raw: Record<string, unknown>,
): ProcessActivity | undefined {
  return decl.create(decl.options.parse(raw), fakeCtx(1, 1)).processActivity?.();
}

describe('process activity presets and overrides', () => {
  it('kernel-build: per compile unit, divided by the CPU a unit takes', () => {
    const a1 = activityOf(kernelBuildWorkload, { cpuPerUnit: '1s' })!;
    expect(a1.perCpuS.fork).toBe(KERNEL_BUILD_PRESET.perUnit.fork); // 3 per unit of 1 CPU-second
    const a2 = activityOf(kernelBuildWorkload, { cpuPerUnit: '500ms' }) as {
      perCpuS: Record<MmuEvent, number>;
    };
    expect(a2.perCpuS.fork).toBe(6);
    expect(a2.perCpuS['demand-fault']).toBe(10_000);
  });

  it('web: per request of mean service S; database: threads share one address space', () => {
    const w = activityOf(webWorkload, { service: '5ms' })!;
    // 2 switches per request, 200 requests per CPU-second.
    expect(w.perCpuS['context-switch']).toBeCloseTo(WEB_PRESET.perUnit['context-switch'] / 0.005, 9);
    const d = activityOf(databaseWorkload, {})!;
    expect(d.perCpuS.fork).toBe(0);
    expect(d.perCpuS['context-switch']).toBeGreaterThan(0);
  });

  it('a workload without a preset does no page-table work', () => {
    expect(activityOf(constantWorkload, {})).toBeUndefined();
  });

  it('constant: the rates its processes option states, per CPU-second as given, 0 for the rest', () => {
    const a = activityOf(constantWorkload, {
      processes: { forksPerCpuS: 100, residentPagesPerProcess: 40 },
    })!;
    expect(a.perCpuS.fork).toBe(100);
    expect(a.perCpuS.exec).toBe(0);
    expect(a.perCpuS['context-switch']).toBe(0);
    // The shape not given is a small process's (SMALL_PROCESS_PRESET: 160 PTEs, 25 %, 3 tables).
    expect(a.shape).toEqual({
      residentPages: 40,
      writableShare: 0.25,
      pageTablePages: 3,
      pagesPerMunmap: 16,
      tlsEntriesChangedPerSwitch: 1,
    });
  });

  it('YAML overrides any field; units are in the names; unknown and negative fields are errors', () => {
    const a = activityOf(kernelBuildWorkload, {
      processes: { forksPerCpuS: 1, residentPagesPerProcess: 500, writableShare: 0.5 },
    })!;
    expect(a.perCpuS.fork).toBe(1);
    expect(a.perCpuS.exec).toBe(3); // from the preset
    expect(a.shape).toMatchObject({ residentPages: 500, writableShare: 0.5, pageTablePages: 8 });
    expect(() => kernelBuildWorkload.options.parse({ processes: { forksPerS: 1 } })).toThrow(/forksPerS/);
    expect(() => kernelBuildWorkload.options.parse({ processes: { forksPerCpuS: -1 } })).toThrow();
    expect(() => kernelBuildWorkload.options.parse({ processes: { writableShare: 2 } })).toThrow();
  });
});

describe('the guest turns rates into events on the vCPU that did the work', () => {
  const recorder = () => {
    const log: [number, MmuEvent, number][] = [];
    const ops = {
      mmu: (v: number, e: MmuEvent, n: number) => void log.push([v, e, n]),
    } as unknown as ParavirtOps;
    return { ops, log };
  };
  const activity = (forks: number, switches = 0) => ({
    perCpuS: {
      fork: forks,
      exec: 0,
      exit: 0,
      'context-switch': switches,
      'demand-fault': 0,
      'cow-fault': 0,
      munmap: 0,
    },
    shape: {
      residentPages: 10,
      writableShare: 0.5,
      pageTablePages: 1,
      pagesPerMunmap: 1,
      tlsEntriesChangedPerSwitch: 1,
    },
  });

  it('3 forks per CPU-second over bursts of 0.5 s: 1, 2, 1, 2 (the fraction carried)', () => {
    const { ops, log } = recorder();
    const d = new ProcessDriver(activity(3), 1);
    for (let k = 1; k <= 4; k++) d.account(ops, 0, k * 0.5e9);
    expect(log).toEqual([
      [0, 'fork', 1],
      [0, 'fork', 2],
      [0, 'fork', 1],
      [0, 'fork', 2],
    ]);
  });

  it('each vCPU carries its own fraction; no work, no events', () => {
    const { ops, log } = recorder();
    const d = new ProcessDriver(activity(0, 1), 2);
    d.account(ops, 0, 0.6e9);
    d.account(ops, 1, 0.6e9);
    expect(log).toEqual([]);
    d.account(ops, 1, 0.6e9);
    expect(log).toEqual([]);
    d.account(ops, 1, 1.2e9);
    expect(log).toEqual([[1, 'context-switch', 1]]);
  });
});

describe('a kernel build over VMI and over Xen', () => {
  const yaml = (abi: string, extra = '') => `
name: t
duration: 20s
host: { pcpus: 2, memory: 4GiB, abi: ${abi} }
guests:
  - name: b
    vcpus: 2
    memory: 1GiB
    workload: { type: kernel-build, units: 100, cpuPerUnit: 200ms, link: 1s, repeat: true${extra} }
`;
  const runAll = (abi: string, extra = '') =>
    simulate(spec(yaml(abi, extra)), { checkInvariants: true }).summary!;
  const run = (abi: string, extra = '') =>
    simulate(spec(yaml(abi, extra)), { checkInvariants: true }).summary!.guests[0]!;

  it('shows the page-table calls of each interface, about 15 forks per CPU-second of work', () => {
    const v = run('vmi');
    const x = run('xen');
    // 3 forks per 0.2 CPU-s unit: 15 per CPU-second; each VMI fork clones one L2 (exec clones one more).
    const forks = v.workDoneCpuS * 15;
    expect(v.interfaceCalls['AllocatePage(L2|CLONE)']! / 2).toBeGreaterThan(0.9 * forks);
    expect(v.interfaceCalls['AllocatePage(L2|CLONE)']! / 2).toBeLessThan(1.1 * forks + 2);
    expect(v.interfaceCalls.SetCR3).toBeGreaterThan(0);
    expect(x.interfaceCalls['mmuext_op(PIN_L2_TABLE)']! / 2).toBeGreaterThan(0.9 * x.workDoneCpuS * 15);
    expect(x.interfaceCalls['update_va_mapping(pte)']).toBeGreaterThan(0);
    expect(x.interfaceCalls['pinned page-table write (ptwr emulated)']).toBeGreaterThan(0);
  });

  it('with no process activity the page-table calls are gone', () => {
    const none =
      ', processes: { forksPerCpuS: 0, execsPerCpuS: 0, exitsPerCpuS: 0, contextSwitchesPerCpuS: 0, demandFaultsPerCpuS: 0, cowFaultsPerCpuS: 0, munmapsPerCpuS: 0 }';
    const v = run('vmi', none);
    expect(Object.keys(v.interfaceCalls).filter((k) => /PxE|SetCR3|AllocatePage|page fault/.test(k))).toEqual(
      [],
    );
  });

  it('sums the page-table calls apart: interface_mmu_Mcycles is the cycles of the VMI MMU calls', () => {
    const r = runAll('vmi');
    const g = r.guests[0]!;
    const mmu = Object.values(VMI_MMU_CALL).reduce((a, k) => a + (g.interfaceCallCycles[k] ?? 0), 0);
    expect(mmu).toBeGreaterThan(0);
    expect(r.metrics.interface_mmu_Mcycles).toBeCloseTo(mmu / 1e6, 6);
    expect(r.metrics.interface_mmu_Mcycles).toBeLessThan(r.metrics.interface_Mcycles!);
  });

  it('rejects a bad field with its path', () => {
    expect(() => experiment(yaml('vmi', ', processes: { forks: 1 }'))).toThrow(/processes\.forks|forks/);
  });
});
