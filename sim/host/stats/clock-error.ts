/**
 * Each guest's clock error (true − guest time, positive when the guest is behind) as the
 * statistics keep it: the largest |error| seen — at samples, at its time-sync daemon's rounds
 * (`guest.time-sync` events) and at every summary — and the root mean square over the samples.
 * The guest model only says what its clock reads (GuestTimekeeping.errorNs).
 */
import type { TraceBus } from '../../kernel/index.js';
import type { HostTrace } from '../host.js';

export class ClockErrorStats {
  private readonly maxAbsNs: Float64Array;
  private readonly sumSqMs: Float64Array;
  private readonly samples: Float64Array;
  /** Each guest's error at the latest sample, ns. */
  private readonly sampledNs: Float64Array;

  constructor(
    trace: Pick<TraceBus<Pick<HostTrace, 'guest.time-sync'>>, 'on'>,
    guests: number,
    /** Guest `g`'s error now, ns (Host.clockErrorNs). */
    private readonly read: (g: number) => number,
  ) {
    this.maxAbsNs = new Float64Array(guests);
    this.sumSqMs = new Float64Array(guests);
    this.samples = new Float64Array(guests);
    this.sampledNs = new Float64Array(guests);
    trace.on('guest.time-sync', (e) => this.seen(e.guest, e.errorNs));
  }

  /** A sample: every guest's error now, into the maximum and the RMS. */
  sample(): void {
    for (let g = 0; g < this.sampledNs.length; g++) {
      const e = this.read(g);
      this.seen(g, e);
      this.sumSqMs[g]! += (e / 1e6) ** 2;
      this.samples[g]! += 1;
      this.sampledNs[g] = e;
    }
  }

  /** Guest `g`'s error at the latest sample, ns. */
  sampledErrorNs(g: number): number {
    return this.sampledNs[g]!;
  }

  /** Guest `g`'s error now, outside a sample (a summary): into the maximum only. */
  readNow(g: number): number {
    const e = this.read(g);
    this.seen(g, e);
    return e;
  }

  maxAbsMs(g: number): number {
    return this.maxAbsNs[g]! / 1e6;
  }

  rmsMs(g: number): number {
    const n = this.samples[g]!;
    return n === 0 ? 0 : Math.sqrt(this.sumSqMs[g]! / n);
  }

  private seen(g: number, e: number): void {
    if (Math.abs(e) > this.maxAbsNs[g]!) this.maxAbsNs[g] = Math.abs(e);
  }
}
