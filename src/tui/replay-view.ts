/**
 * The replay's own lines (pure): the timeline bar under the tabs, and the
 * describe pane of a finding. The bar is one character per slice of the run:
 * the phase as a character (`-` steady, `=` method, `~` rollbacks, `.`
 * liveness, ` ` outside them), `F` where a fault was injected, `R` where a
 * rollback injected one, `!` where a checker found something (over a fault),
 * and `#` where the position is, so nothing depends on colour. Rollbacks are
 * usually instant (a heal), so they get a cell even when they take no time,
 * and a rollback's fault wins its cell over the method's and the heal's.
 * After the figures, the phase the position is in.
 */
import { formatClock } from './format.js';
import type { ReplayFinding, ReplayInfo, ReplayPhase } from './source.js';
import type { ReplayView } from './ui-state.js';

const PHASE_CHAR: Readonly<Record<ReplayPhase['phase'], string>> = { steady: '-', method: '=', rollbacks: '~', liveness: '.' };

/** The bar's legend (help and README say the same). */
export const TIMELINE_LEGEND = '- steady  = method  ~ rollbacks  . liveness  F fault  R rollback fault  ! finding  # position';

/** The phase the position's last record belongs to; null before the first (the cluster's setup) or with none. */
export function phaseAtPosition(info: ReplayInfo, position: number): ReplayPhase | null {
  return info.phases.find((p) => p.fromPosition < position && position <= p.toPosition) ?? null;
}

/** The bar and its figures, fitted to `width`. */
export function timelineBar(replay: ReplayView, nowMs: number, width: number): string {
  const { info, position } = replay;
  const findingNo = currentFindingNumber(info, position);
  const phase = phaseAtPosition(info, position);
  // A guessed phase says so: without the runner's boundaries, rollbacks read as the method.
  // Padded to the longest name so the bar keeps its width as the position moves.
  const nameWidth = Math.max(0, ...info.phases.map((p) => p.phase.length + (info.phasesKnown ? 0 : 1)));
  const phaseText = nameWidth === 0 ? '' : ` ${(phase === null ? '' : `${phase.phase}${info.phasesKnown ? '' : '?'}`).padEnd(nameWidth)}`;
  const suffix = ` ${formatClock(nowMs)}/${formatClock(info.endMs)} #${position}/${info.total}${info.faults.length > 0 ? ` F${info.faults.length}` : ''}${info.findings.length > 0 ? ` !${findingNo === null ? '' : `${findingNo}/`}${info.findings.length}` : ''}${phaseText}`;
  const cells = Math.max(4, width - suffix.length - 2);
  const span = Math.max(1, info.endMs - info.startMs);
  const cellOf = (atMs: number): number => Math.max(0, Math.min(cells - 1, Math.floor(((atMs - info.startMs) / span) * cells)));
  const bar: string[] = new Array<string>(cells).fill(' ');
  const shade = (p: ReplayPhase): void => {
    for (let c = cellOf(p.fromMs); c <= cellOf(Math.max(p.fromMs, p.toMs - 1e-9)); c += 1) bar[c] = PHASE_CHAR[p.phase];
  };
  info.phases.filter((p) => p.phase !== 'rollbacks').forEach(shade);
  info.phases.filter((p) => p.phase === 'rollbacks').forEach(shade);
  for (const fault of info.faults) if (fault.phase !== 'rollbacks') bar[cellOf(fault.atMs)] = 'F';
  for (const fault of info.faults) if (fault.phase === 'rollbacks') bar[cellOf(fault.atMs)] = 'R';
  for (const finding of info.findings) bar[cellOf(finding.atMs)] = '!';
  bar[cellOf(nowMs)] = '#';
  return `[${bar.join('')}]${suffix}`.slice(0, Math.max(1, width));
}

/** The 1-based number of the finding the position is at, or null. */
export function currentFindingNumber(info: ReplayInfo, position: number): number | null {
  const index = info.findings.findIndex((f) => f.position === position);
  return index < 0 ? null : index + 1;
}

/** The next (direction 1) or previous (-1) mark's position from `position`, or null at the end. */
export function nextPosition(positions: readonly number[], position: number, direction: 1 | -1): number | null {
  const sorted = [...positions].sort((a, b) => a - b);
  if (direction > 0) return sorted.find((p) => p > position) ?? null;
  return [...sorted].reverse().find((p) => p < position) ?? null;
}

/** The index of the finding `}` / `{` moves to, or null. */
export function nextFindingIndex(findings: readonly ReplayFinding[], position: number, direction: 1 | -1): number | null {
  const order = findings.map((f, index) => ({ index, position: f.position })).sort((a, b) => a.position - b.position || a.index - b.index);
  const found = direction > 0 ? order.find((f) => f.position > position) : [...order].reverse().find((f) => f.position < position);
  return found?.index ?? null;
}

/** The describe pane of a finding: checker, detail, and its events (the selected one marked `>`). */
export function findingPane(info: ReplayInfo, index: number, selected: number): { title: string; lines: string[] } {
  const finding = info.findings[index];
  if (finding === undefined) return { title: 'Finding', lines: ['(no such finding)'] };
  const lines = [
    `checker   ${finding.checker} (${finding.kind})`,
    `at        ${formatClock(finding.atMs)}  (record #${finding.position} of ${info.total})`,
    `detail    ${finding.detail}`,
    '',
    finding.events.length === 0 ? 'events    (the checker named a time, not records)' : `events    ${finding.events.length} (j/k select, enter jumps to it)`,
  ];
  finding.events.forEach((event, i) => lines.push(`${i === selected ? '>' : ' '} #${String(event.position).padEnd(7)} ${formatClock(event.atMs).padEnd(9)} ${event.label}`));
  return { title: `Finding ${index + 1}/${info.findings.length}: ${finding.checker}`, lines };
}
