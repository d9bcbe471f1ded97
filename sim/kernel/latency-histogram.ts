/**
 * A latency histogram in bounded memory (HdrHistogram): a domain-free instrument for any waiting
 * time a model measures, such as a vCPU's wake-to-run latency or a request's response time.
 */
import hdr from 'hdr-histogram-js';

export type Histogram = ReturnType<typeof hdr.build>;

/**
 * Wake-to-run latency in ns, 1 ns to 1 h at 3 significant digits. Plain 32-bit counts (about
 * 135 KiB per histogram) rather than the packed layout: packed saved memory but its lookups took
 * half of the run time on a dense host (bench/dense-host.yaml, node --cpu-prof); the buckets and so
 * every percentile are the same either way.
 */
export function newLatencyHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}
