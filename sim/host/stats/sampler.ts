/**
 * A run's time series: at a fixed interval (after every other event at that instant) every column
 * of the figure catalog's host and per-guest series (sim/results/catalog/) is read and windowed,
 * then each guest's balloon-policy gauges; values are kept in typed arrays. A row counts only once
 * it is whole, so a run that fails inside a sample keeps the rows before.
 */
import type { Simulator } from '../../kernel/index.js';
import type { RunSeries, SeriesColumnDef } from '../../results/types.js';
import { round6, seriesValue } from '../../results/catalog/figure.js';
import { GUEST_SERIES } from '../../results/catalog/guest-series.js';
import { HOST_SERIES } from '../../results/catalog/host-series.js';
import { PRIO_SAMPLE, type Host, type HostTrace } from '../host.js';
import type { ClockErrorStats } from './clock-error.js';
import type { GuestReadings, HostReadings } from './view.js';
import type { WakeLatencyStats } from './wake-latency.js';

export class Sampler {
  readonly columns: SeriesColumnDef[] = [];
  private readonly values: Float64Array[];
  readonly timeS: Float64Array;
  /** Whole rows sampled so far. */
  rows = 0;
  private lastNs = 0;
  /** Per guest × GUEST_SERIES column, the reading at the previous sample (for delta windows). */
  private readonly previous: Float64Array;
  private readonly kind: number;
  private readonly maxRows: number;
  /** Gauges the balloon policy declares (columns after each guest's catalog columns). */
  private readonly gauges: number;

  constructor(
    private readonly sim: Simulator<HostTrace>,
    private readonly host: Host,
    private readonly intervalNs: number,
    durationNs: number,
    private readonly hostView: HostReadings,
    private readonly guestView: GuestReadings,
    private readonly stats: { clock: ClockErrorStats; wake: WakeLatencyStats },
  ) {
    const maxRows = Math.floor(durationNs / intervalNs);
    this.timeS = new Float64Array(maxRows);
    for (const f of HOST_SERIES) {
      const { quantity, unit, description } = f;
      this.columns.push({
        name: quantity,
        quantity,
        unit,
        description,
        ...(f.reference ? { reference: true } : {}),
        ...(f.levels === undefined ? {} : { levels: [...f.levels] }),
      });
    }
    // The balloon policy's own figures (e.g. ESX's working-set estimate) follow each guest's
    // columns; a policy without gauges adds none.
    const gauges = host.balloonGauges();
    this.gauges = gauges.length;
    for (const g of host.guests) {
      for (const { quantity: q, unit, description, overGuests } of [...GUEST_SERIES, ...gauges]) {
        this.columns.push({
          name: `${g.name}_${q}`,
          guest: g.name,
          quantity: q,
          unit,
          description,
          overGuests,
        });
      }
    }
    this.values = this.columns.map(() => new Float64Array(maxRows));
    this.previous = new Float64Array(host.guests.length * GUEST_SERIES.length);
    this.maxRows = maxRows;
    this.kind = sim.registerHandler(
      () => this.sample(),
      () => 'the statistics sample',
    );
    if (maxRows > 0) sim.schedule(intervalNs, this.kind, 0, 0, PRIO_SAMPLE);
  }

  private sample(): void {
    const now = this.sim.nowNs;
    const h = this.host;
    // Interrupts due so far are handed over first, so the interval's interface calls and clocks
    // count them (settling is split-invariant: this changes no later result).
    h.settleTimers();
    this.stats.clock.sample();
    const row = this.rows;
    const dt = now - this.lastNs;
    this.timeS[row] = now / 1e9;
    let c = 0;
    for (const f of HOST_SERIES) this.values[c++]![row] = f.read(this.hostView);
    const view = this.guestView;
    view.row = row;
    const n = GUEST_SERIES.length;
    for (let g = 0; g < h.guests.length; g++) {
      const vcpus = view.vcpus(g);
      const entitlement = view.entitlementPcpus(g);
      for (let k = 0; k < n; k++) {
        const f = GUEST_SERIES[k]!;
        const r = f.read(view, g);
        this.values[c++]![row] = seriesValue(f.window, r, this.previous[g * n + k]!, dt, vcpus, entitlement);
        this.previous[g * n + k] = r;
      }
      for (let k = 0; k < this.gauges; k++) this.values[c++]![row] = h.balloonGauge(k, g);
    }
    this.stats.wake.restartInterval();
    this.lastNs = now;
    this.rows = row + 1;
    if (this.rows < this.maxRows) this.sim.scheduleIn(this.intervalNs, this.kind, 0, 0, PRIO_SAMPLE);
  }

  /** Host column `quantity`'s values of the rows sampled so far. */
  hostColumn(quantity: string): Float64Array {
    const i = HOST_SERIES.findIndex((f) => f.quantity === quantity);
    if (i < 0) throw new Error(`no host series '${quantity}' in the figure catalog`);
    return this.values[i]!.subarray(0, this.rows);
  }

  /** The rows sampled so far (all of them once the run is over; the whole ones before a failure). */
  series(): RunSeries {
    return {
      sampleIntervalNs: this.intervalNs,
      timeS: Array.from(this.timeS.subarray(0, this.rows)),
      columns: this.columns,
      values: this.values.map((v) => Array.from(v.subarray(0, this.rows), round6)),
    };
  }
}
