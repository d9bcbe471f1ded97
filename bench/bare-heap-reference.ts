/**
 * Calibration for the PHOLD figure: the same PHOLD (1,000 LPs × 10 events, lookahead 0.1,
 * Exp(1) increments) on the barest possible engine — one typed-array binary heap of (time, LP),
 * no priorities, payloads, cancellation or seeded streams, Math.random for draws. It is the
 * ceiling plain JS reaches on this machine at this moment, so the kernel's figure can be read
 * against it when the machine is busier or quieter than usual (DESIGN.md §4 quotes ~6.4 M/s).
 */

/** Events per second of the bare loop, best of `repeats` timed runs after a warm-up. */
export function bareHeapPholdEventsPerS(minEvents = 4_000_000, repeats = 3): number {
  runBare(500_000);
  let best = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    const events = runBare(minEvents);
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, events / wallS);
  }
  return best;
}

function runBare(minEvents: number, lps = 1000, perLp = 10, lookahead = 0.1): number {
  const cap = lps * perLp + 1;
  const time = new Float64Array(cap);
  const lp = new Int32Array(cap);
  let n = 0;
  const push = (t: number, p: number): void => {
    let i = n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (time[parent]! <= t) break;
      time[i] = time[parent]!;
      lp[i] = lp[parent]!;
      i = parent;
    }
    time[i] = t;
    lp[i] = p;
  };
  for (let p = 0; p < lps; p++)
    for (let k = 0; k < perLp; k++) push(lookahead - Math.log(1 - Math.random()), p);
  let events = 0;
  while (events < minEvents) {
    const now = time[0]!;
    events++;
    const last = --n;
    const t = time[last]!;
    const s = lp[last]!;
    let i = 0;
    let c = 1;
    while (c < n) {
      if (c + 1 < n && time[c + 1]! < time[c]!) c++;
      if (t <= time[c]!) break;
      time[i] = time[c]!;
      lp[i] = lp[c]!;
      i = c;
      c = 2 * i + 1;
    }
    time[i] = t;
    lp[i] = s;
    push(now + lookahead - Math.log(1 - Math.random()), (Math.random() * lps) | 0);
  }
  return events;
}
