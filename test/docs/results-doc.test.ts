/**
 * docs/results.md stays equal to what sim/results/catalog/docs.ts generates from the figure
 * catalog. Regenerate it with `VMISIM_UPDATE_DOCS=1 npx vitest run test/docs/results-doc.test.ts`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resultsDocText } from '../../sim/results/catalog/docs.js';

const docPath = fileURLToPath(new URL('../../docs/results.md', import.meta.url));

describe('docs/results.md', () => {
  it('is what the figure catalog generates', async () => {
    const expected = await resultsDocText(docPath);
    if (process.env.VMISIM_UPDATE_DOCS === '1') writeFileSync(docPath, expected);
    expect(existsSync(docPath), 'run VMISIM_UPDATE_DOCS=1 npx vitest run test/docs/results-doc.test.ts').toBe(
      true,
    );
    expect(
      readFileSync(docPath, 'utf8'),
      'run VMISIM_UPDATE_DOCS=1 npx vitest run test/docs/results-doc.test.ts',
    ).toBe(expected);
  });
});
