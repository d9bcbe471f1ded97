/**
 * Summarises a `.cpuprofile` written by `node --cpu-prof` (bench/profile.ts under it): the
 * functions with the most self time, and the most total time (self plus callees), as shares of
 * the profile, so that the findings in bench/README.md can be reproduced without opening Chrome
 * DevTools. A function is named `name file:line`; its samples are summed over every node of the
 * call tree where it appears (total counts a recursive function once per sample).
 *
 *   node dist/bench/cpuprofile-top.js CPU.….cpuprofile [how many, default 25]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const [file, many = '25'] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node dist/bench/cpuprofile-top.js <file.cpuprofile> [how many]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/dist\//, '')}:${n.callFrame.lineNumber + 1}`;
const self = new Map<string, number>();
const total = new Map<string, number>();
for (const id of profile.samples) {
  const leaf = byId.get(id)!;
  self.set(label(leaf), (self.get(label(leaf)) ?? 0) + 1);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const l = label(byId.get(at)!);
    if (!seen.has(l)) total.set(l, (total.get(l) ?? 0) + 1);
    seen.add(l);
  }
}
const n = profile.samples.length;
const top = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(many))
    .map(([l, c]) => `${((100 * c) / n).toFixed(1).padStart(5)} %  ${l}`)
    .join('\n');
console.log(`${n} samples\n\nself time:\n${top(self)}\n\ntotal time:\n${top(total)}`);
