/**
 * The fault kinds a fuzz schedule draws from, and `--faults` parsing. Only
 * "primary" faults are drawn; their undo (resume, heal, unclog, restart) is
 * scheduled by the generator as a pair, so `--faults heal` is refused with a
 * pointer to the fault it undoes.
 */
import { err, ok, type Result } from '../../core/errors.js';
import { FAULT_KINDS, FAULT_KIND_TABLE, isFaultKind } from '../../core/fault-kinds.js';
import type { FaultKind } from '../../core/faults.js';
import { nearest } from '../scenario/suggest.js';

/** Undo kinds are never drawn on their own: the generator pairs them with what they undo (`undoes` in the table). */
type UndoKind = 'resume-agent' | 'resume-master' | 'heal' | 'unclog';

/** A kind the swarm may pick. */
export type FuzzKind = Exclude<FaultKind, UndoKind>;

/** Every kind the swarm may pick, in the table's order: those that undo nothing. */
export const FUZZ_KINDS: readonly FuzzKind[] = FAULT_KINDS.filter((kind): kind is FuzzKind => FAULT_KIND_TABLE[kind].undoes === null);

/** Whether a string is a fuzzable kind. */
export function isFuzzKind(text: string): text is FuzzKind {
  return (FUZZ_KINDS as readonly string[]).includes(text);
}

/**
 * Parses `--faults` (comma-separated, possibly repeated): the enabled kinds in
 * FUZZ_KINDS order, every kind when absent or empty. One-line errors.
 */
export function parseFaultKinds(flag: string | readonly string[] | undefined): Result<FuzzKind[]> {
  const words = (typeof flag === 'string' ? [flag] : (flag ?? []))
    .flatMap((part) => part.split(','))
    .map((word) => word.trim())
    .filter((word) => word !== '');
  if (words.length === 0) return ok([...FUZZ_KINDS]);
  const chosen = new Set<FuzzKind>();
  for (const word of words) {
    if (isFuzzKind(word)) {
      chosen.add(word);
      continue;
    }
    const undoes = isFaultKind(word) ? FAULT_KIND_TABLE[word].undoes : null;
    if (undoes !== null) return err('USAGE', `"${word}" is not drawn on its own: it follows ${undoes} (use --faults ${undoes})`, '--faults');
    const guess = nearest(word, FUZZ_KINDS);
    return err('USAGE', `unknown fault kind "${word}"${guess ? `, did you mean "${guess}"?` : ''} (kinds: ${FUZZ_KINDS.join(', ')})`, '--faults');
  }
  return ok(FUZZ_KINDS.filter((kind) => chosen.has(kind)));
}
