// A hypervisor for tests of one guest's interface: every service does nothing, time stands at 0
// and the vCPU has always run (no steal); a test overrides the services it watches or drives.
import type { GuestClocks, HypervisorServices } from '../../sim/abi/types.js';

export function stubHypervisor(overrides: Partial<HypervisorServices> = {}): HypervisorServices {
  return {
    cpuMHz: 3000,
    nowNs: () => 0,
    haltVcpu: () => {},
    setTimer: () => {},
    cancelTimer: () => {},
    periodicAlarm: () => {},
    deliverIpi: () => {},
    completeIoAt: () => {},
    clocks: (): GuestClocks => ({ realNs: 0, availableNs: 0, stolenNs: 0 }),
    runstateArea: () => ({ state: 0, stateEntryNs: 0, timeNs: [0, 0, 0, 0] }),
    balloonTargetPages: () => 0,
    domainPages: () => ({ domid: 1, totPages: 1000, maxPages: 1000, privileged: false }),
    hostFreePages: () => 0,
    balloonInflated: () => {},
    balloonDeflated: () => {},
    chargeCall: () => {},
    ...overrides,
  };
}
