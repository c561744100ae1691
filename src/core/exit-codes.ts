/**
 * The one table of exit codes (DESIGN.md section 5), by failure class like
 * TigerBeetle's VOPR. Every layer reads it from here (core imports nothing of
 * the project, so chaos, tui and cli all may), and the top-level help's
 * exit-code line is generated from it.
 */

/** Every exit code faultline uses. */
export const EXIT = {
  pass: 0,
  safety: 1,
  liveness: 2,
  inconclusive: 3,
  usage: 64,
  unavailable: 69,
  internal: 70,
  hangup: 129,
  interrupted: 130,
  closedPipe: 141,
  terminated: 143,
} as const;

/** One of the exit codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each code means, in the words the help uses. */
export const EXIT_MEANING: Readonly<Record<keyof typeof EXIT, string>> = {
  pass: 'pass',
  safety: 'safety violation',
  liveness: 'liveness failure',
  inconclusive: 'inconclusive',
  usage: 'usage, scenario-file or input-file error',
  unavailable: 'master unavailable (sysexits EX_UNAVAILABLE)',
  internal: 'internal error',
  hangup: 'terminal hung up (SIGHUP)',
  interrupted: 'interrupted (Ctrl-C)',
  closedPipe: 'output pipe closed (as `| head`)',
  terminated: 'terminated (SIGTERM)',
};

/** The help's line: `Exit codes: 0 pass, 1 safety violation, ...`, from the table. */
export function exitCodesHelpLine(): string {
  const names = Object.keys(EXIT) as (keyof typeof EXIT)[];
  return `Exit codes: ${names.map((name) => `${EXIT[name]} ${EXIT_MEANING[name]}`).join(', ')}.`;
}
