/**
 * The replay's timeline bar: each phase its own glyph where the runner said
 * it began (rollbacks `~`, a rollback's fault `R`, even when the rollbacks
 * take no time), the phase the position is in after the figures, and a `?`
 * when the phases were guessed from the history.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { phaseAtPosition, timelineBar, TIMELINE_LEGEND } from '../../src/tui/replay-view.js';
import type { ReplayInfo, ReplayPhase } from '../../src/tui/source.js';

// 100 s of run over 100 records, one a second; the bar gets 100 cells (one a second) at this width.
const TOTAL = 100;
function infoOf(phases: readonly ReplayPhase[], faults: ReplayInfo['faults'], phasesKnown = true): ReplayInfo {
  return { source: 'h.jsonl', total: TOTAL, startMs: 0, endMs: 100_000, faults, findings: [], phases, phasesKnown };
}
function cellsOf(line: string): string {
  return /^\[([^\]]*)\]/.exec(line)?.[1] ?? '';
}
/** Width that leaves exactly 100 cells for the bar with this info's suffix at `position`. */
function widthFor(info: ReplayInfo, position: number, nowMs: number): number {
  const probe = timelineBar({ info, position }, nowMs, 1000);
  return probe.length - cellsOf(probe).length + 100;
}

const PHASES: readonly ReplayPhase[] = [
  { phase: 'steady', fromMs: 0, toMs: 10_000, fromPosition: 0, toPosition: 10 },
  { phase: 'method', fromMs: 10_000, toMs: 50_000, fromPosition: 10, toPosition: 50 },
  { phase: 'rollbacks', fromMs: 50_000, toMs: 60_000, fromPosition: 50, toPosition: 60 },
  { phase: 'liveness', fromMs: 60_000, toMs: 100_000, fromPosition: 60, toPosition: 100 },
];
const FAULTS: ReplayInfo['faults'] = [
  { position: 11, atMs: 10_000, label: 'kill-agent agent-1', phase: 'method' },
  { position: 51, atMs: 50_000, label: 'heal', phase: 'rollbacks' },
  { position: 61, atMs: 60_000, label: 'heal', phase: 'liveness' },
];

describe('timelineBar', () => {
  it('shades each phase with its glyph where it was, rollbacks as ~ and a rollback fault as R', () => {
    const info = infoOf(PHASES, FAULTS);
    const bar = cellsOf(timelineBar({ info, position: 100 }, 100_000, widthFor(info, 100, 100_000)));
    assert.equal(bar.length, 100);
    assert.equal(bar.slice(0, 10), '-'.repeat(10));
    assert.equal(bar[10], 'F', 'the method fault');
    assert.equal(bar.slice(11, 50), '='.repeat(39));
    assert.equal(bar[50], 'R', 'the rollback fault, not an F');
    assert.equal(bar.slice(51, 60), '~'.repeat(9), 'the rollbacks phase, its own glyph');
    assert.equal(bar[60], 'F', 'the liveness heal');
    assert.equal(bar.slice(61, 99), '.'.repeat(38));
    assert.equal(bar[99], '#');
  });

  it('gives instant rollbacks a cell: the R wins over the liveness heal at the same moment', () => {
    const phases: ReplayPhase[] = [
      { phase: 'steady', fromMs: 0, toMs: 10_000, fromPosition: 0, toPosition: 10 },
      { phase: 'method', fromMs: 10_000, toMs: 50_000, fromPosition: 10, toPosition: 50 },
      { phase: 'rollbacks', fromMs: 50_000, toMs: 50_000, fromPosition: 50, toPosition: 51 },
      { phase: 'liveness', fromMs: 50_000, toMs: 100_000, fromPosition: 51, toPosition: 100 },
    ];
    const faults: ReplayInfo['faults'] = [
      { position: 51, atMs: 50_000, label: 'heal', phase: 'rollbacks' },
      { position: 52, atMs: 50_000, label: 'heal', phase: 'liveness' },
    ];
    const info = infoOf(phases, faults);
    const bar = cellsOf(timelineBar({ info, position: 0 }, 0, widthFor(info, 0, 0)));
    assert.equal(bar[50], 'R');
    assert.equal(bar[49], '=');
    assert.equal(bar[51], '.');
    assert.equal(bar.includes('~'), false, 'no time to shade');
  });

  it('names the phase the position is in, by record (records at one ms told apart)', () => {
    const info = infoOf(PHASES, FAULTS);
    assert.equal(phaseAtPosition(info, 0), null, 'before the first record: setup');
    assert.equal(phaseAtPosition(info, 50)?.phase, 'method');
    assert.equal(phaseAtPosition(info, 51)?.phase, 'rollbacks');
    assert.equal(phaseAtPosition(info, 61)?.phase, 'liveness');
    assert.match(timelineBar({ info, position: 51 }, 50_000, 140), /#51\/100 F3 rollbacks$/);
    assert.match(timelineBar({ info, position: 20 }, 20_000, 140), /#20\/100 F3 method {3}$/, 'padded: the bar keeps its width');
  });

  it('marks guessed phases with ?', () => {
    const guessed = infoOf([PHASES[0] as ReplayPhase, { ...(PHASES[1] as ReplayPhase), toMs: 100_000, toPosition: 100 }], FAULTS.map((f) => ({ ...f, phase: 'method' as const })), false);
    assert.match(timelineBar({ info: guessed, position: 20 }, 20_000, 140), / method\?$/);
    assert.equal(cellsOf(timelineBar({ info: guessed, position: 0 }, 0, 140)).includes('R'), false);
  });

  it('has a legend naming every glyph', () => {
    for (const glyph of ['-', '=', '~', '.', 'F', 'R', '!', '#']) assert.ok(TIMELINE_LEGEND.includes(`${glyph} `), glyph);
  });
});
