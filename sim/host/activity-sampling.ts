/**
 * The host's working-set sampling, per guest: every `samplePeriodNs` it samples `samplePages` of
 * the guest's pages at random and counts those the guest touched in the period (ESX's statistical
 * sampling of idle memory, reference/memory-balloon.md §1.4). The newest SAMPLE_HISTORY completed
 * samples and the period in progress reach the balloon policy through its observation.
 *
 * A period's sample counts the pages touched at any time in it, each memory tick against its own
 * demand (Guest.touchPeriod): a period spanning a drop in demand still counts the pages touched
 * before it.
 */
import type { RandomStream } from '../kernel/index.js';
import type { Guest } from '../guest/guest.js';
import { noTouches, type PeriodTouches } from '../guest/period-touches.js';
import { SAMPLE_HISTORY, type ActivitySample } from '../../policies/balloon/types.js';
import type { HostMemory } from './memory.js';

/** A guest's samples as its balloon policy sees them: completed periods and the current one. */
export interface GuestActivity {
  samples: readonly ActivitySample[];
  current: ActivitySample;
  taken: number;
}

export class ActivitySampling {
  private readonly samples: ActivitySample[][] = [];
  /** Per guest: sampling periods completed since boot (`samples` keeps the newest). */
  private readonly taken: number[] = [];
  /** Per guest: the pages touched so far in the current period. */
  private readonly touches: PeriodTouches[] = [];
  private readonly nextSampleNs: number[] = [];
  private rng: RandomStream[] = [];

  constructor(
    private readonly samplePeriodNs: number,
    private readonly samplePages: number,
  ) {}

  addGuest(): void {
    this.samples.push([]);
    this.taken.push(0);
    this.touches.push(noTouches());
    this.nextSampleNs.push(this.samplePeriodNs);
  }

  /** The guests' random streams for sampling, one each, given when the run starts. */
  start(rng: RandomStream[]): void {
    this.rng = rng;
  }

  /**
   * After guest `g`'s memory tick at `now` with `accesses` page accesses of its busy time (Guest.memoryTick
   * touchAccesses): counts their touches, and samples if a period ended.
   */
  afterMemoryTick(g: Guest, accesses: number, now: number, memory: HostMemory): void {
    const gi = g.index;
    g.touchPeriod(this.touches[gi]!, accesses);
    if (now < this.nextSampleNs[gi]!) return;
    const samples = this.samples[gi]!;
    samples.push(memory.sample(g.activeFraction(this.touches[gi]!), this.rng[gi]!));
    if (samples.length > SAMPLE_HISTORY) samples.shift();
    this.taken[gi]! += 1;
    this.touches[gi] = noTouches();
    this.nextSampleNs[gi] = now + this.samplePeriodNs;
  }

  /** Guest `g`'s samples: completed periods and the one in progress. */
  of(g: Guest): GuestActivity {
    const n = this.samplePages;
    const f = g.activeFraction(this.touches[g.index]!);
    return {
      samples: this.samples[g.index]!.slice(),
      current: { sampled: n, touched: Math.round(n * f) },
      taken: this.taken[g.index]!,
    };
  }
}
