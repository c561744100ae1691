/**
 * Exit codes (DESIGN.md section 5), by failure class like TigerBeetle's VOPR.
 */
/** Every exit code faultline uses. */
export const EXIT = {
  pass: 0,
  safety: 1,
  liveness: 2,
  inconclusive: 3,
  usage: 64,
  internal: 70,
} as const;

/** One of the exit codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
