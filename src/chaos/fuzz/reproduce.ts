/**
 * The commands printed for a failing seed: the fuzz command that runs just that
 * seed again, and the `faultline run` command that replays its shrunk file.
 */
import { formatDuration } from '../scenario/index.js';
import { DEFAULT_METHOD_MS } from './generate.js';

/** The flags that change what a seed runs (and so belong in its reproduce command). */
export interface ReproduceFlags {
  /** `--base` as given, or null for the default cluster. */
  readonly baseFile: string | null;
  /** `--faults` as given, or null for every kind. */
  readonly kindsFlag: string | null;
  readonly methodMs: number;
}

/** `faultline fuzz --seeds 1 --start <seed> [--base f] [--faults k] [--duration d]`. */
export function reproduceCommand(seed: number, flags: ReproduceFlags): string {
  const words = ['faultline', 'fuzz', '--seeds', '1', '--start', String(seed)];
  if (flags.baseFile !== null) words.push('--base', flags.baseFile);
  if (flags.kindsFlag !== null) words.push('--faults', flags.kindsFlag);
  if (flags.methodMs !== DEFAULT_METHOD_MS) words.push('--duration', formatDuration(flags.methodMs));
  return words.map(shellWord).join(' ');
}

/** `faultline run <file>`: the file carries the seed. */
export function replayCommand(file: string): string {
  return `faultline run ${shellWord(file)}`;
}

/** `faultline replay <file> --violation 1`: the TUI over the file's run, at its first finding. */
export function openCommand(file: string): string {
  return `faultline replay ${shellWord(file)} --violation 1`;
}

/** A word as a POSIX shell reads it back. */
export function shellWord(word: string): string {
  return /^[\w./:=@+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
