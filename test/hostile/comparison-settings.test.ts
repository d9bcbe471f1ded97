// An experiment's `baseline:` and `margins:` (sim/experiment/comparison-settings.ts): a baseline
// that is not a compare alternative, or a margin for a metric that does not exist, is refused with
// the file, line, column and field, what was expected and what was found.
import { describe, expect, it } from 'vitest';
import { refusal, TWO_ALTERNATIVES_YAML } from '../helpers/experiment.js';

const BASE = TWO_ALTERNATIVES_YAML;

describe('comparison settings in an experiment file', () => {
  it('refuses a baseline that is not a compare alternative, naming the alternatives and the near one', () => {
    const m = refusal(`${BASE}baseline: exs\n`);
    expect(m).toMatch(/^t\.yaml:9:11/);
    expect(m).toContain('baseline');
    expect(m).toContain('expected one of the compare alternatives (none, esx), found "exs"');
    expect(m).toContain('did you mean "esx"?');
  });

  it('refuses a baseline without compare', () => {
    const m = refusal(BASE.replace(/compare:[\s\S]*$/, 'baseline: none\n'));
    expect(m).toContain('needs a compare: section');
  });

  it('refuses a margin for an unknown metric and a negative margin', () => {
    const m = refusal(`${BASE}margins:\n  work_done_cpu: { relative: 0.05 }\n`);
    expect(m).toMatch(/^t\.yaml:10:3/);
    expect(m).toContain('expected a metric id, found "work_done_cpu" (did you mean "work_done_cpu_s"?)');
    expect(refusal(`${BASE}margins:\n  work_done_cpu_s: { relative: -1 }\n`)).toContain('relative');
  });
});
