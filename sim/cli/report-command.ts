/**
 * `vmisim report DIR`: renders the report of an output directory again from its results.json —
 * after an upgrade of the report, or to regenerate charts — without re-running anything. The
 * directory is replaced atomically (a half-written report is never visible); timings.json and every
 * file that is not vmisim's are kept (sim/runner/atomic-dir.ts). A missing, unreadable or invalid
 * results.json is bad input (exit 2), and so is one too large to parse within the JavaScript heap
 * limit (the message says how to raise it); a folder that cannot be written is exit 3. Either way
 * the directory is left untouched; so it is on Ctrl-C (exit 130), once the render processes stop.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openAtomicDir } from '../runner/atomic-dir.js';
import { readResultsFolder } from './read-results.js';
import { sourceFromResults } from '../results/source.js';
import { writeReport } from '../../reports/write-report.js';
import { reportNotes } from './report-notes.js';
import { EXIT_INTERRUPTED } from './run-command.js';

/** Files of an output directory that are not rebuilt from results.json, carried over as they are. */
const KEPT = ['timings.json'];

/** `threads`: the render pool's threads (reports/render-pool.ts); the files do not depend on it. */
export async function reportCommand(dir: string, log: (s: string) => void, threads = 1): Promise<number> {
  const results = readResultsFolder(dir);
  const out = openAtomicDir(resolve(dir));
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.on('SIGINT', onSigint);
  try {
    try {
      await out.write(async (tmp) => {
        // Validated above: written as it is, without a second validated copy.
        await writeReport(sourceFromResults(results), tmp, reportNotes(), { threads, signal: abort.signal });
        for (const f of KEPT) if (existsSync(join(dir, f))) copyFileSync(join(dir, f), join(tmp, f));
      });
    } catch (e) {
      if (!abort.signal.aborted) throw e;
      process.stderr.write(
        `\ninterrupted: ${join(dir, 'report.html')} and the rest of the folder untouched\n`,
      );
      return EXIT_INTERRUPTED;
    }
    out.commit();
  } finally {
    out.cleanup();
    process.removeListener('SIGINT', onSigint);
  }
  log(`wrote ${join(dir, 'report.html')} from ${results.runs.length} runs`);
  return 0;
}
