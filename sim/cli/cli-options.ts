/**
 * Command-line options several vmisim commands share: whole-number parsers, --set and --seeds (which
 * change the experiment before it is checked), and --threads.
 */
import { InvalidArgumentError, Option } from 'commander';
import { defaultThreads } from '../runner/pool.js';
import type { CommandLineOverrides } from '../experiment/cli-overrides.js';

export function positiveInt(flag: string) {
  return (v: string): number => {
    if (!/^[0-9]+$/.test(v) || Number(v) < 1)
      throw new InvalidArgumentError(`${flag} expects a whole number ≥ 1, found '${v}'`);
    return Number(v);
  };
}

export function nonNegativeInt(flag: string) {
  return (v: string): number => {
    if (!/^[0-9]{1,6}$/.test(v))
      throw new InvalidArgumentError(`${flag} expects a whole number ≥ 0, found '${v}'`);
    return Number(v);
  };
}

/** `--set` and `--seeds`, the same for run and validate: they change the experiment before it is checked. */
export function overrideOptions(): Option[] {
  return [
    new Option(
      '--set <path=value>',
      "change a field of the experiment, repeatable: a dotted path as in compare: (host.pcpus, guests.web.memory) and a YAML value (8, 2GiB, true, [1,2], '{policy: esx}'); applied to the base experiment before compare: and sweep:, whose own values of the same path still win",
    ).argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]),
    new Option('--seeds <n>', "run seeds 1..n instead of the file's seeds (or a list: --seeds 3,7,9)"),
  ];
}

/** The flags of --set and --seeds as the loader takes them. */
export function overridesOf(flags: { set?: string[]; seeds?: string }): CommandLineOverrides {
  return { set: flags.set ?? [], ...(flags.seeds === undefined ? {} : { seeds: flags.seeds }) };
}

/** `--threads`, the same for run and validate (the memory estimate depends on it). */
export function threadsOption(what: string): Option {
  return new Option(
    '-t, --threads <n>',
    `${what} (default: ${defaultThreads()}, the machine's cores)`,
  ).argParser(positiveInt('--threads'));
}
