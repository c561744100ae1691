/**
 * Binary min-heaps for the DRF sorter. A cycle only ever raises the share of
 * the client it just granted, so one `siftDown` keeps the heap valid; and
 * `firstAccepted` finds the smallest element a predicate accepts (a framework
 * not filtered on this agent) without popping, visiting elements in key order.
 */

/** Strict "a sorts before b"; must be a total order for deterministic results. */
export type Less<T> = (a: T, b: T) => boolean;

/** Restores the heap after the key of `heap[index]` grew. */
export function siftDown<T>(heap: T[], index: number, less: Less<T>): void {
  const n = heap.length;
  const item = heap[index] as T;
  let i = index;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    let child = left;
    if (right < n && less(heap[right] as T, heap[left] as T)) child = right;
    if (!less(heap[child] as T, item)) break;
    heap[i] = heap[child] as T;
    i = child;
  }
  heap[i] = item;
}

/** Orders `items` into a heap in place (a sorted array is one too). */
export function heapify<T>(items: T[], less: Less<T>): void {
  for (let i = (items.length >>> 1) - 1; i >= 0; i -= 1) siftDown(items, i, less);
}

/** Index of the smallest element of `heap` that `accept` takes, or -1 (see firstAcceptedBy). */
export function firstAccepted<T>(heap: readonly T[], less: Less<T>, accept: (item: T) => boolean, scratch: number[]): number {
  return firstAcceptedBy(heap, (a, b) => less(heap[a] as T, heap[b] as T), accept, scratch);
}

/**
 * Index of the smallest element of the heap `items` that `accept` takes, or -1,
 * where `before(a, b)` says whether the element at index a sorts before the one
 * at b (a heap whose keys live beside the items compares them there).
 * Best-first over the heap tree with `scratch` as a heap of candidate indices:
 * O(k log k) for k rejected elements, O(1) when the root is accepted.
 */
export function firstAcceptedBy<T>(items: readonly T[], before: (a: number, b: number) => boolean, accept: (item: T) => boolean, scratch: number[]): number {
  const n = items.length;
  if (n === 0) return -1;
  if (accept(items[0] as T)) return 0;
  scratch.length = 0;
  pushIndex(scratch, 1, n, before);
  pushIndex(scratch, 2, n, before);
  while (scratch.length > 0) {
    const i = popIndex(scratch, before);
    if (accept(items[i] as T)) return i;
    pushIndex(scratch, 2 * i + 1, n, before);
    pushIndex(scratch, 2 * i + 2, n, before);
  }
  return -1;
}

function pushIndex(scratch: number[], index: number, n: number, before: (a: number, b: number) => boolean): void {
  if (index >= n) return;
  let i = scratch.length;
  scratch.push(index);
  while (i > 0) {
    const parent = (i - 1) >>> 1;
    const p = scratch[parent] as number;
    if (!before(index, p)) break;
    scratch[i] = p;
    i = parent;
  }
  scratch[i] = index;
}

function popIndex(scratch: number[], before: (a: number, b: number) => boolean): number {
  const top = scratch[0] as number;
  const last = scratch.pop() as number;
  if (scratch.length === 0) return top;
  scratch[0] = last;
  siftDown(scratch, 0, before);
  return top;
}
