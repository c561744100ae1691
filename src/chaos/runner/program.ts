/**
 * Steps as programs over virtual time. A program is a generator that does its
 * work synchronously (inject a fault) and yields what it waits for: a time, a
 * condition with a deadline, or a set of branches that run together
 * (`parallel`). `runProgram` advances the cluster to the earliest thing any
 * branch waits for, wakes the branches whose wait is over in a fixed order, and
 * repeats: parallel branches advance together in one virtual clock, and the
 * same seed wakes them in the same order every run.
 */
import { assertNever } from '../../core/errors.js';
import type { Driver } from './driver.js';

/** What a program waits for. Resumed with true when it happened, false when a condition's deadline passed. */
export type Wait =
  | { readonly kind: 'time'; readonly atMs: number }
  | { readonly kind: 'until'; readonly test: () => boolean; readonly deadlineMs: number }
  | { readonly kind: 'all'; readonly branches: readonly Program[] };

/** A step (or list of steps) as a generator. */
export type Program = Generator<Wait, void, boolean>;

/** How often a waited-for condition is checked, in virtual ms. */
export const CHECK_EVERY_MS = 100;

/** How a program run ended. */
export type ProgramEnd = 'done' | 'aborted' | 'interrupted';

interface Fiber {
  readonly program: Program;
  wait: Wait | null;
  children: Fiber[];
  done: boolean;
}

function fiberOf(program: Program): Fiber {
  return { program, wait: null, children: [], done: false };
}

/** Runs the program until its next unmet wait (or its end), starting with `value`. */
function resume(fiber: Fiber, value: boolean, nowMs: number): void {
  let input = value;
  for (;;) {
    const next = fiber.program.next(input);
    if (next.done === true) {
      fiber.done = true;
      fiber.wait = null;
      return;
    }
    const wait = next.value;
    if (wait.kind === 'all') {
      fiber.children = wait.branches.map(fiberOf);
      for (const child of fiber.children) resume(child, true, nowMs);
      if (fiber.children.every((c) => c.done)) {
        input = true;
        continue;
      }
    } else if (wait.kind === 'time' ? nowMs >= wait.atMs : wait.test()) {
      input = true;
      continue;
    }
    fiber.wait = wait;
    return;
  }
}

/** The earliest virtual time any waiting fiber needs attention. */
function nextWakeMs(fiber: Fiber, nowMs: number): number {
  const wait = fiber.wait;
  if (fiber.done || wait === null) return Infinity;
  switch (wait.kind) {
    case 'time':
      return wait.atMs;
    case 'until':
      return Math.min(wait.deadlineMs, nowMs + CHECK_EVERY_MS);
    case 'all':
      return Math.min(...fiber.children.map((c) => nextWakeMs(c, nowMs)));
    default:
      return assertNever(wait, 'wait');
  }
}

/** Wakes every fiber whose wait is over, depth first in branch order. */
function wake(fiber: Fiber, nowMs: number): void {
  const wait = fiber.wait;
  if (fiber.done || wait === null) return;
  switch (wait.kind) {
    case 'time':
      if (nowMs >= wait.atMs) resume(fiber, true, nowMs);
      return;
    case 'until':
      if (wait.test()) resume(fiber, true, nowMs);
      else if (nowMs >= wait.deadlineMs) resume(fiber, false, nowMs);
      return;
    case 'all':
      for (const child of fiber.children) wake(child, nowMs);
      if (fiber.children.every((c) => c.done)) resume(fiber, true, nowMs);
      return;
    default:
      assertNever(wait, 'wait');
  }
}

/**
 * Runs a program to its end in virtual time. `aborted` is polled after every
 * wake-up: a failed `until` in the method stops every branch.
 */
export async function runProgram(program: Program, driver: Driver, aborted: () => boolean = () => false): Promise<ProgramEnd> {
  const root = fiberOf(program);
  resume(root, true, driver.now());
  for (;;) {
    if (aborted()) return 'aborted';
    if (root.done) return 'done';
    const wakeMs = nextWakeMs(root, driver.now());
    if (!(await driver.advanceTo(Math.max(driver.now(), wakeMs)))) return 'interrupted';
    wake(root, driver.now());
  }
}
