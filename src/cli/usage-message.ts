/**
 * yargs' parse errors as one line that names the flag and what it allows:
 * `Invalid values:` (its details on the next lines) becomes
 * `--timing: "slow" is not one of fast, mesos`; `Not enough arguments
 * following: seed` becomes `--seed: needs a value`.
 */

/** One line for a yargs failure message. */
export function usageMessageOf(message: string): string {
  const choices = /Argument: ([\w-]+), Given: (.*?), Choices: (.*)$/m.exec(message);
  if (choices) {
    const allowed = (choices[3] ?? '').split(/,\s*/).map((c) => c.replace(/^"|"$/g, '')).join(', ');
    return `--${choices[1] ?? ''}: ${choices[2] ?? ''} is not one of ${allowed}`;
  }
  const missing = /^Not enough arguments following: ([\w-]+)/.exec(message);
  if (missing) return `--${missing[1] ?? ''}: needs a value`;
  return message.split('\n').find((l) => l.trim() !== '') ?? message;
}
