/**
 * Which alternatives may be ranked against each other: those at the same point of a sweep. A
 * direction ("lower is better") means something only at one load: across points of a swept load
 * factor the least loaded host would always win, which says nothing about the policies.
 *
 * results.json names the alternatives of `compare` × `sweep` `<alternative>/<key>=<value>[,…]`
 * (sim/experiment/load.ts), and those of a sweep alone `<key>=<value>[,…]`. The names are read as
 * a sweep only when they form that whole grid (every alternative at every point, the same keys at
 * every point), so a compare key that happens to contain `=` or `/` is not mistaken for one.
 */

/** One swept point and its alternatives in declaration order; `point` is '' without a sweep. */
export interface SweptPoint {
  point: string;
  alternatives: string[];
}

const POINT = /^[^=,/\s]+=[^,]*(,[^=,/\s]+=[^,]*)*$/;

function keysOf(point: string): string {
  return point
    .split(',')
    .map((kv) => kv.slice(0, kv.indexOf('=')))
    .join(',');
}

/** The alternatives grouped by swept point (see the header); one group of all without a sweep. */
export function sweptPoints(names: readonly string[]): SweptPoint[] {
  const whole: SweptPoint[] = [{ point: '', alternatives: [...names] }];
  if (names.length === 0) return whole;
  const split = names.map((n) => {
    const at = n.indexOf('/');
    return at < 0 ? { alt: '', point: n } : { alt: n.slice(0, at), point: n.slice(at + 1) };
  });
  if (!split.every((s) => POINT.test(s.point))) return whole;
  const keys = keysOf(split[0]!.point);
  if (!split.every((s) => keysOf(s.point) === keys)) return whole;
  const alts = [...new Set(split.map((s) => s.alt))];
  const points = [...new Set(split.map((s) => s.point))];
  // The whole grid, each name once.
  if (alts.length * points.length !== names.length) return whole;
  const have = new Set(names);
  const name = (alt: string, point: string) => (alt === '' ? point : `${alt}/${point}`);
  if (!alts.every((a) => points.every((p) => have.has(name(a, p))))) return whole;
  return points.map((point) => ({
    point,
    alternatives: names.filter((_, i) => split[i]!.point === point),
  }));
}
