/**
 * Problems with the output location, for people: one sentence naming the path and the cause, no
 * stack trace, and an exit code of its own. The CLI prints the message after "vmisim: " and exits
 * with `exitCode`:
 *   2 (EXIT_BAD_INPUT)     the location is not vmisim's to write (a file, a folder of other
 *                          files): nothing was run, nothing changed;
 *   3 (EXIT_OUTPUT_FAILED) the file system refused (read-only, full, permission denied, a path
 *                          through a file, a name too long…): the previous output is untouched.
 */
export const EXIT_OUTPUT_FAILED = 3;

export class OutputError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'OutputError';
  }
}
