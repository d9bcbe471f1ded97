// `vmisim submit k8s` and `vmisim submit slurm`: the generated Kubernetes Jobs validate against the
// Kubernetes API schema (kubernetes-models 4.5.1, generated from the 1.30-era OpenAPI: it knows
// backoffLimitPerIndex, podFailurePolicy's FailIndex and managedBy), and the rules that schema cannot
// express, which the API server enforces, are checked here by hand; the Slurm scripts carry the array,
// requeue, signal and dependency, parse as shell, and quote paths exactly.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Job, type IJob } from 'kubernetes-models/batch/v1';
import { scratch, vmisim } from '../helpers/cli.js';
import { shellLine } from '../../sim/cli/submit-common.js';
import { webExperiment } from '../helpers/web-experiment.js';

const EXP = webExperiment({ name: 'Sub_Mit.x', duration: '2s', seeds: 4 });

function generated(engine: 'k8s' | 'slurm', flags: string[]): { dir: string; read: (f: string) => string } {
  const dir = scratch();
  writeFileSync(join(dir, 'sub.yaml'), EXP);
  const r = vmisim(['submit', engine, 'sub.yaml', '--dir', 'jobs', ...flags], dir);
  expect(r.code, r.stderr).toBe(0);
  return { dir, read: (f) => readFileSync(join(dir, 'jobs', f), 'utf8') };
}

/** The API server's validation errors that the OpenAPI schema leaves out (batch/v1 Job validation). */
function apiServerRules(job: IJob): string[] {
  const spec = job.spec!;
  const pod = spec.template.spec!;
  const problems: string[] = [];
  if (spec.podFailurePolicy !== undefined && pod.restartPolicy !== 'Never')
    problems.push('podFailurePolicy needs restartPolicy Never');
  if (spec.backoffLimitPerIndex !== undefined && spec.completionMode !== 'Indexed')
    problems.push('backoffLimitPerIndex needs completionMode Indexed');
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    if (rule.action === 'FailIndex' && spec.backoffLimitPerIndex === undefined)
      problems.push('FailIndex needs backoffLimitPerIndex');
    const codes = rule.onExitCodes;
    if (codes !== undefined) {
      if (codes.containerName !== undefined && !pod.containers.some((c) => c.name === codes.containerName))
        problems.push(`onExitCodes names no container: ${codes.containerName}`);
      if (codes.operator === 'In' && codes.values.includes(0))
        problems.push('onExitCodes In must not list 0');
    }
    if ((rule.onExitCodes === undefined) === (rule.onPodConditions === undefined))
      problems.push('a rule needs exactly one of onExitCodes and onPodConditions');
  }
  return problems;
}

describe('vmisim submit k8s', () => {
  const { read } = generated('k8s', [
    '--shards',
    '4',
    '--image',
    'registry.example/vmisim:0.1.0',
    '--cpus-per-task',
    '2',
    '--parallelism',
    '2',
  ]);
  const shards = parse(read('job.yaml')) as IJob;
  const merge = parse(read('merge-job.yaml')) as IJob;

  it('writes an Indexed Job and a merge Job that the Kubernetes API schema accepts', () => {
    expect(() => new Job(shards).validate()).not.toThrow();
    expect(() => new Job(merge).validate()).not.toThrow();
    expect(apiServerRules(shards)).toEqual([]);
    expect(apiServerRules(merge)).toEqual([]);
    expect(shards.metadata!.name).toBe('vmisim-sub-mit-x');
    expect(shards.spec).toMatchObject({
      completionMode: 'Indexed',
      completions: 4,
      parallelism: 2,
      backoffLimitPerIndex: 3,
      podFailurePolicy: {
        rules: [
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
          { action: 'FailIndex', onExitCodes: { containerName: 'vmisim', operator: 'In', values: [2] } },
        ],
      },
    });
    // Each pod finds its shard in JOB_COMPLETION_INDEX, which Kubernetes sets: no index in the command.
    expect(shards.spec!.template.spec!.containers[0]!.command).toEqual([
      'vmisim',
      'run',
      'sub.yaml',
      '--store',
      'store',
      '--shards',
      '4',
      '--threads',
      '2',
    ]);
    expect(merge.spec!.template.spec!.containers[0]!.command).toEqual([
      'vmisim',
      'merge',
      'sub.yaml',
      '--store',
      'store',
      '--out',
      'out/Sub_Mit.x',
      '--threads',
      '2',
    ]);
    expect(read('submit.sh')).toContain('kubectl apply -f "$here/merge-job.yaml"');
  });

  it('is checked by a validator that knows these fields: each broken copy is rejected', () => {
    // Each sets a field to a value of the wrong type or outside its enum, as a typo in a YAML would.
    const broken: [string, (j: IJob) => unknown][] = [
      ['completionMode', (j) => Reflect.set(j.spec!, 'completionMode', 'Indexd')],
      ['backoffLimitPerIndex', (j) => Reflect.set(j.spec!, 'backoffLimitPerIndex', '3')],
      ['podFailurePolicy', (j) => Reflect.set(j.spec!.podFailurePolicy!.rules[1]!, 'action', 'FailIdx')],
      ['restartPolicy', (j) => Reflect.set(j.spec!.template.spec!, 'restartPolicy', 'Sometimes')],
      ['completions', (j) => Reflect.set(j.spec!, 'completions', 4.5)],
    ];
    for (const [field, breakIt] of broken) {
      const copy = structuredClone(shards);
      breakIt(copy);
      expect(() => new Job(copy).validate(), field).toThrow(field);
    }
  });

  it('refuses a bad image or claim name (exit 2)', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'sub.yaml'), EXP);
    const image = vmisim(['submit', 'k8s', 'sub.yaml', '--shards', '2', '--image', 'a b'], dir);
    expect([image.code, image.stderr]).toEqual([
      2,
      "vmisim: --image: expected a container image, found 'a b'\n",
    ]);
    const pvc = vmisim(
      ['submit', 'k8s', 'sub.yaml', '--shards', '2', '--image', 'x', '--pvc', 'My_Claim'],
      dir,
    );
    expect(pvc.code).toBe(2);
    expect(pvc.stderr).toContain(
      "vmisim: --pvc: expected a Kubernetes name (lower-case letters, digits and '-', at most 63), found 'My_Claim'",
    );
  });
});

describe('vmisim submit slurm', () => {
  it('writes a requeueable job array, a merge after it, and a driver script that parse as shell', () => {
    const { dir, read } = generated('slurm', [
      '--shards',
      '3',
      '--time',
      '1:00:00',
      '--partition',
      'batch',
      '--cpus-per-task',
      '4',
      '--store',
      "st o'r",
      '--set',
      'host.pcpus=4',
    ]);
    const shards = read('shards.sbatch');
    for (const line of [
      '#SBATCH --array=0-2',
      '#SBATCH --requeue',
      '#SBATCH --signal=B:TERM@60',
      '#SBATCH --cpus-per-task=4',
      '#SBATCH --time=1:00:00',
      '#SBATCH --partition=batch',
    ])
      expect(shards.split('\n')).toContain(line);
    expect(shards).toContain(`exec vmisim run sub.yaml --store 'st o'\\''r' --shards 3 --set host.pcpus=4\n`);
    expect(read('merge.sbatch')).toContain(
      `exec vmisim merge sub.yaml --store 'st o'\\''r' --out out/Sub_Mit.x --set host.pcpus=4 --threads 4\n`,
    );
    const submit = read('submit.sh');
    expect(submit).toContain('--dependency=afterok:$array --kill-on-invalid-dep=yes');
    expect(submit).toContain(`--chdir=${dir}`);
    for (const f of ['shards.sbatch', 'merge.sbatch', 'submit.sh']) {
      const syntax = spawnSync('bash', ['-n', join(dir, 'jobs', f)], { encoding: 'utf8' });
      expect(syntax.status, `${f}: ${syntax.stderr}`).toBe(0);
    }
  });

  it('quotes words so that the shell gives them back exactly', () => {
    const words = ['plain', 'with space', "it's", '$HOME', 'a"b', '*', ''];
    const echoed = spawnSync('bash', ['-c', `printf '%s\\n' ${shellLine(words)}`], { encoding: 'utf8' });
    expect(echoed.stdout).toBe(words.map((w) => `${w}\n`).join(''));
  });

  it('refuses a bad time limit or partition (exit 2)', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'sub.yaml'), EXP);
    const time = vmisim(['submit', 'slurm', 'sub.yaml', '--shards', '2', '--time', '1 hour'], dir);
    expect([time.code, time.stderr]).toEqual([
      2,
      "vmisim: --time: expected a Slurm time (minutes, HH:MM:SS, D-HH:MM:SS…), found '1 hour'\n",
    ]);
    const part = vmisim(['submit', 'slurm', 'sub.yaml', '--shards', '2', '--partition', 'a;rm'], dir);
    expect([part.code, part.stderr]).toEqual([
      2,
      "vmisim: --partition: expected a partition name, found 'a;rm'\n",
    ]);
  });
});

describe('vmisim submit with more shards than runs', () => {
  it.each([['slurm'], ['k8s', '--image', 'x']])('%s: exit 2', (engine, ...flags) => {
    const dir = scratch();
    writeFileSync(join(dir, 'sub.yaml'), EXP);
    const r = vmisim(['submit', engine, 'sub.yaml', '--shards', '5', ...flags], dir);
    expect([r.code, r.stderr]).toEqual([
      2,
      'vmisim: --shards: 5 shards for 4 runs: the others would have nothing to do; at most 4\n',
    ]);
  });
});
