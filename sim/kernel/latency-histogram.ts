/**
 * A latency histogram in bounded memory (HdrHistogram): a domain-free instrument for any waiting
 * time a model measures, such as a vCPU's wake-to-run latency or a request's response time.
 */
import type hdr from 'hdr-histogram-js';
import { ChunkedHistogram } from './chunked-histogram.js';

export type Histogram = ReturnType<typeof hdr.build>;

/**
 * Latency in ns, 1 ns to 1 h at 3 significant digits. Counts in chunks allocated on first use
 * (chunked-histogram.ts) rather than hdr-histogram-js's plain 32-bit counts (about 135 KiB per
 * histogram, allocated and zeroed up front) or its packed layout (small, but its lookups took half
 * of the run time on a dense host, bench/dense-host.yaml with node --cpu-prof); the buckets and so
 * every percentile are the same in all three.
 */
export function newLatencyHistogram(): ChunkedHistogram {
  const h = new ChunkedHistogram(1, 3_600_000_000_000, 3);
  // As hdr-histogram-js's build() sets by default: a longer latency widens the range, not throws.
  h.autoResize = true;
  return h;
}
