// Test runner settings: tests live in test/, run in worker processes, and must never depend on
// wall-clock speed (benchmarks are separate: npm run bench).
// isolate: false — a worker keeps the modules it has loaded from one test file to the next instead
// of importing sim/, reports/ and their dependencies afresh for each of the 180-odd files: it took
// the CPU time of test/abi, test/kernel and test/guest from 31 s to 13 s, and of test/model and
// test/workloads from 80 s to 28 s (their simulations included: no slower for sharing). Test files must
// therefore leave no state behind: mocks are restored after each test (vi.restoreAllMocks), and
// nothing under sim/, policies/ or workloads/ has module-level mutable state to begin with.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    isolate: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
    env: { VMISIM_DEBUG_INVARIANTS: '1' },
    setupFiles: ['test/helpers/property-seed.ts'],
  },
});
