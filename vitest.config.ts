// Test runner settings: tests live in test/, run in worker threads, and must never depend on
// wall-clock speed (benchmarks are separate: npm run bench).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    env: { VMISIM_DEBUG_INVARIANTS: '1' },
    setupFiles: ['test/helpers/property-seed.ts'],
  },
});
