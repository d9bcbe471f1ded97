/**
 * The report header's line for command-line overrides (`--set`, `--seeds`): the flags that changed
 * the experiment file, as typed, so that the report says what was run and how to run it again.
 * Nothing when the file ran as written.
 */
import type { ResultsFile } from '../sim/results/types.js';
import { escapeHtml } from './escape.js';

/** `[label, html]` rows for the header's definition list: none, or one listing the flags. */
export function overridesRows(x: ResultsFile['experiment']): [string, string][] {
  const flags = x.overrides ?? [];
  if (flags.length === 0) return [];
  return [['Overridden on the command line', flags.map((f) => `<code>${escapeHtml(f)}</code>`).join(' ')]];
}
