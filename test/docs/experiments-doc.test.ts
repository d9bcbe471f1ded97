/**
 * The generated parts of docs/experiments.md (experiment fields, every plugin's options, the
 * workload presets) stay equal to what sim/experiment/docs.ts generates from the declarations.
 * Regenerate them with `VMISIM_UPDATE_DOCS=1 npx vitest run test/docs/experiments-doc.test.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  experimentsDocText,
  generatedSections,
  GENERATED_SECTIONS,
  optionsMarkdown,
} from '../../sim/experiment/docs.js';
import { BALLOON_POLICIES } from '../../policies/balloon/registry.js';
import { CPU_SCHEDULERS } from '../../policies/cpu/registry.js';
import { TIMER_DELIVERY } from '../../policies/time/registry.js';
import { WORKLOADS } from '../../workloads/registry.js';
import { configSchema } from '../../sim/experiment/schema.js';
import { loadExperimentText } from '../../sim/experiment/load.js';
import { experimentJsonSchema } from '../../sim/experiment/json-schema.js';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

const docPath = fileURLToPath(new URL('../../docs/experiments.md', import.meta.url));

describe('docs/experiments.md', () => {
  it('has its generated sections up to date', async () => {
    let doc = readFileSync(docPath, 'utf8');
    if (process.env.VMISIM_UPDATE_DOCS === '1') {
      doc = await experimentsDocText(doc, docPath);
      writeFileSync(docPath, doc);
    }
    const expected = generatedSections(await experimentsDocText(doc, docPath));
    const onDisk = generatedSections(doc);
    for (const name of Object.keys(GENERATED_SECTIONS)) {
      expect(onDisk[name], `run VMISIM_UPDATE_DOCS=1 npx vitest run test/docs/experiments-doc.test.ts`).toBe(
        expected[name],
      );
    }
  });

  it('documents every plugin and every top-level field', () => {
    const options = optionsMarkdown();
    for (const r of [CPU_SCHEDULERS, TIMER_DELIVERY, BALLOON_POLICIES, WORKLOADS]) {
      for (const name of Object.keys(r)) expect(options).toContain(`#### \`${name}\``);
    }
    const fields = generatedSections(readFileSync(docPath, 'utf8')).fields ?? '';
    for (const key of Object.keys(configSchema.shape)) expect(fields).toContain(`\`${key}\``);
  });

  it('has a complete example that the loader and the schema accept', () => {
    const doc = readFileSync(docPath, 'utf8');
    const examples = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .filter((y) => /^name:/m.test(y));
    expect(examples.length).toBeGreaterThan(0);
    const validate = new Ajv({ allErrors: true }).compile(experimentJsonSchema());
    for (const y of examples) {
      const exp = loadExperimentText(
        fileURLToPath(new URL('../../experiments/doc.yaml', import.meta.url)),
        y,
      );
      expect(exp.alternatives.length).toBeGreaterThan(0);
      expect(validate(parse(y)), JSON.stringify(validate.errors)).toBe(true);
    }
  });
});
