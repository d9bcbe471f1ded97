/**
 * `vmisim submit k8s FILE --shards N --image IMAGE`: writes, into a folder (default k8s/<experiment name>),
 *   job.yaml        an Indexed Job (`completionMode: Indexed`, N completions): pod i runs
 *                   `vmisim run FILE --store DIR --shards N` with JOB_COMPLETION_INDEX=i, which
 *                   Kubernetes sets. `backoffLimitPerIndex` retries a failed index alone (K8s ≥ 1.29
 *                   beta, on by default; 1.28 behind the JobBackoffLimitPerIndex gate), and the pod
 *                   failure policy ignores a pod killed by a disruption (DisruptionTarget: preemption,
 *                   eviction, node drain — the retry does not count against the limit) and fails the
 *                   index at once on exit code 2 (bad input: retrying cannot help);
 *   merge-job.yaml  a Job running `vmisim merge FILE --store DIR --out OUT`;
 *   submit.sh       applies job.yaml, waits for it to complete, then applies merge-job.yaml and waits
 *                   for that (Kubernetes has no dependencies between Jobs).
 * Every pod mounts the PersistentVolumeClaim `--pvc` (ReadWriteMany, so pods on several nodes share
 * the store) at /data and starts there: FILE, --store and --out are paths in that volume (or in the
 * image). The restart policy is Never, which a pod failure policy requires.
 *
 * The manifests are typed with kubernetes-models' Job type (a type-only import: nothing of it is
 * loaded at run time), so a misspelt field fails the type check; the tests validate them against
 * that package's Kubernetes API schema.
 */
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IPodTemplateSpec } from 'kubernetes-models/v1';
import { posix } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../options/input-error.js';
import type { CommandLineOverrides } from '../experiment/cli-overrides.js';
import { vmisimVersion } from '../runner/assemble.js';
import { jobName, shellQuote, submitPlan, writeFiles, type SubmitFlags } from './submit-common.js';

export interface K8sFlags extends SubmitFlags {
  image: string;
  /** PersistentVolumeClaim holding the experiment, the store and the output (default vmisim-data). */
  pvc?: string;
  namespace?: string;
  /** Pods running at once (default: N). */
  parallelism?: number;
  /** Retries of each index (backoffLimitPerIndex, default 3). */
  retries?: number;
  /** How the image runs vmisim (default `vmisim`), split on spaces into the command's first words. */
  vmisim?: string;
}

/** Where the claim is mounted in every pod, and their working directory. */
export const MOUNT = '/data';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Kubernetes' default grace period: the shards exit within about a second of SIGTERM. */
const GRACE_S = 30;

function checkLabel(flag: string, v: string | undefined): void {
  if (v !== undefined && (!DNS_LABEL.test(v) || v.length > 63))
    throw new InputError(
      { file: flag },
      undefined,
      `expected a Kubernetes name (lower-case letters, digits and '-', at most 63), found '${v}'`,
    );
}

/** The two Jobs and the driver script (exported for tests). */
export function k8sManifests(
  file: string,
  flags: K8sFlags,
  cli: CommandLineOverrides,
): { dir: string; shards: IJob; merge: IJob; files: Record<string, string> } {
  if (flags.image.trim() === '' || /\s/.test(flags.image))
    throw new InputError(
      { file: '--image' },
      undefined,
      `expected a container image, found '${flags.image}'`,
    );
  checkLabel('--pvc', flags.pvc);
  checkLabel('--namespace', flags.namespace);
  const plan = submitPlan('k8s', file, flags, cli, () => 'store');
  // Pod names add "-<index>-<5 characters>" to the Job's name; 63 is the limit of a label value.
  const name = jobName(plan.exp.name, 40);
  const cpus = flags.cpusPerTask ?? 1;
  const command = (flags.vmisim ?? 'vmisim').split(/\s+/).filter((w) => w !== '');
  const labels = { 'app.kubernetes.io/name': 'vmisim', 'app.kubernetes.io/instance': name };
  const metadata = (n: string) => ({
    name: n,
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
    labels,
  });
  const pod = (args: string[]): IPodTemplateSpec => ({
    metadata: { labels },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: GRACE_S,
      containers: [
        {
          name: 'vmisim',
          image: flags.image,
          command: [...command, ...args, '--threads', String(cpus)],
          workingDir: MOUNT,
          resources: { requests: { cpu: String(cpus) } },
          volumeMounts: [{ name: 'data', mountPath: MOUNT }],
        },
      ],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: flags.pvc ?? 'vmisim-data' } }],
    },
  });
  const shards = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(name),
    spec: {
      completionMode: 'Indexed',
      completions: flags.shards,
      parallelism: Math.min(flags.parallelism ?? flags.shards, flags.shards),
      backoffLimitPerIndex: flags.retries ?? 3,
      podFailurePolicy: {
        rules: [
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
          { action: 'FailIndex', onExitCodes: { containerName: 'vmisim', operator: 'In', values: [2] } },
        ],
      },
      template: pod(plan.shardArgs),
    },
  } satisfies IJob;
  const merge = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(`${name}-merge`),
    spec: {
      backoffLimit: 2,
      podFailurePolicy: {
        rules: [
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
          // 2 is bad input, 1 runs missing from the store: another try finds the same.
          { action: 'FailJob', onExitCodes: { containerName: 'vmisim', operator: 'In', values: [1, 2] } },
        ],
      },
      template: pod(plan.mergeArgs),
    },
  } satisfies IJob;
  const header = (what: string) =>
    `# ${what} of the experiment ${plan.exp.name} (${plan.runs} runs in ${flags.shards} shards), written by vmisim ${vmisimVersion()} submit k8s.\n`;
  const ns = flags.namespace === undefined ? '' : ` -n ${flags.namespace}`;
  const submit = [
    '#!/bin/sh',
    `# Applies the shards of ${plan.exp.name}, waits until every index has succeeded, then applies the`,
    '# merge and waits for it. To submit again, first: kubectl delete job ' + `${name} ${name}-merge${ns}`,
    'set -eu',
    'here=$(cd "$(dirname "$0")" && pwd)',
    `kubectl apply${ns} -f "$here/job.yaml"`,
    'while :; do',
    `  state=$(kubectl get job ${name}${ns} -o jsonpath='{.status.conditions[?(@.status=="True")].type}')`,
    '  case " $state " in',
    '    *" Complete "*) break ;;',
    `    *" Failed "*) echo "the shards failed: kubectl describe job ${name}${ns}" >&2; exit 1 ;;`,
    '  esac',
    '  sleep 10',
    'done',
    `kubectl apply${ns} -f "$here/merge-job.yaml"`,
    `kubectl wait${ns} --for=condition=complete --timeout=24h job/${name}-merge`,
    `echo "merged into ${shellQuote(posix.resolve(MOUNT, plan.mergeArgs[plan.mergeArgs.indexOf('--out') + 1]!))} in the volume"`,
    '',
  ].join('\n');
  return {
    dir: plan.dir,
    shards,
    merge,
    files: {
      'job.yaml': header('The shards') + stringify(shards, { aliasDuplicateObjects: false }),
      'merge-job.yaml': header('The merge') + stringify(merge, { aliasDuplicateObjects: false }),
      'submit.sh': submit,
    },
  };
}

export function submitK8sCommand(
  file: string,
  flags: K8sFlags,
  cli: CommandLineOverrides,
  log: (s: string) => void,
): number {
  const { dir, files } = k8sManifests(file, flags, cli);
  writeFiles(dir, files);
  log(
    `wrote ${dir}/job.yaml (an Indexed Job of ${flags.shards} pods), ${dir}/merge-job.yaml and ${dir}/submit.sh\nsubmit with: sh ${shellQuote(`${dir}/submit.sh`)}`,
  );
  return 0;
}
