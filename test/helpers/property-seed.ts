// Every property test (fast-check) draws from one fixed seed, so that a run of the suite is
// reproducible and a failure in CI fails again on the same inputs; VMISIM_PROPERTY_SEED=<n>
// explores other inputs (fast-check prints the seed and the shrunk counterexample of a failure).
import fc from 'fast-check';

const raw = process.env.VMISIM_PROPERTY_SEED;
const seed = raw === undefined ? 2006 : Number(raw);
if (!Number.isSafeInteger(seed)) throw new Error(`VMISIM_PROPERTY_SEED must be an integer, found '${raw}'`);
fc.configureGlobal({ seed });
