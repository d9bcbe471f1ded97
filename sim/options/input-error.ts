/**
 * Errors for people: bad input becomes one InputError naming file, line, column and field,
 * what was expected and what was found. The CLI prints its message alone (no stack) and exits 2.
 */
export const EXIT_BAD_INPUT = 2;

export interface SourceLocation {
  file: string;
  line?: number;
  col?: number;
}

export class InputError extends Error {
  readonly exitCode = EXIT_BAD_INPUT;
  constructor(
    readonly location: SourceLocation,
    readonly field: string | undefined,
    readonly problem: string,
  ) {
    super(formatInputError(location, field, problem));
    this.name = 'InputError';
  }
}

/** Most problems listed in one message; a file with more says how many more there are. */
export const MAX_PROBLEMS_LISTED = 100;

/**
 * Several problems found in one pass over a file, reported together (sorted by file, line and
 * column; duplicates dropped). Behaves as the first one for code that looks at one location.
 */
export class InputErrors extends InputError {
  constructor(readonly errors: readonly InputError[]) {
    super(errors[0]!.location, errors[0]!.field, errors[0]!.problem);
    const listed = errors.slice(0, MAX_PROBLEMS_LISTED).map((e) => `  ${e.message}`);
    if (errors.length > MAX_PROBLEMS_LISTED)
      listed.push(`  … and ${errors.length - MAX_PROBLEMS_LISTED} more (all found in this one pass)`);
    this.message = `${errors.length} problems:\n${listed.join('\n')}`;
    this.name = 'InputErrors';
  }
}

/** Throws nothing for no problems, the problem itself for one, an InputErrors for more. */
export function throwProblems(problems: readonly InputError[]): void {
  const e = combineProblems(problems);
  if (e !== undefined) throw e;
}

/** Nothing for no problems, the problem itself for one, an InputErrors for more. */
export function combineProblems(problems: readonly InputError[]): InputError | undefined {
  const seen = new Set<string>();
  const unique = problems.filter((p) => !seen.has(p.message) && seen.add(p.message) !== undefined);
  unique.sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      (a.location.col ?? 0) - (b.location.col ?? 0),
  );
  if (unique.length === 0) return undefined;
  return unique.length === 1 ? unique[0]! : new InputErrors(unique);
}

function formatInputError(loc: SourceLocation, field: string | undefined, problem: string): string {
  const where = loc.line === undefined ? loc.file : `${loc.file}:${loc.line}:${loc.col ?? 1}`;
  return field === undefined || field === '' ? `${where}: ${problem}` : `${where}: ${field}: ${problem}`;
}

/** `['guests', 0, 'memory']` → `guests[0].memory`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** `phases[1].resident` → `['phases', 1, 'resident']`: the inverse of formatFieldPath. */
export function parseFieldPath(field: string): (string | number)[] {
  return [...field.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[2]!));
}
