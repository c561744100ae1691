/**
 * A windowed table: only the rows in view (plus a few above and below) are in
 * the DOM, so 50,000 rows cost what 30 do. Rows have one fixed height; the
 * header stays on top; the table scrolls both ways inside its box, so narrow
 * screens scroll sideways instead of squeezing columns. Sortable headers are
 * buttons (keyboard and screen readers see the sort in aria-sort).
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Sort } from './store.js';

/** One column. */
export interface Column<T> {
  readonly key: string;
  readonly label: string;
  /** A CSS grid track: `8rem`, `minmax(10rem, 2fr)`. */
  readonly width: string;
  readonly render: (row: T) => ReactNode;
  readonly sortable?: boolean;
  readonly align?: 'left' | 'right';
}

/** Props of a VirtualTable. */
export interface VirtualTableProps<T> {
  readonly label: string;
  readonly rows: readonly T[];
  readonly columns: readonly Column<T>[];
  readonly rowKey: (row: T) => string;
  readonly sort?: Sort;
  readonly onSort?: (key: string) => void;
  readonly rowHeight?: number;
  /** The box's height (CSS); the rows scroll inside it. */
  readonly height?: string;
  /** The width below which the table scrolls sideways (CSS). */
  readonly minWidth?: string;
  readonly empty?: string;
}

/** Rows rendered beyond the visible ones, each side. */
const OVERSCAN_ROWS = 8;

/** A windowed table. */
export function VirtualTable<T>(props: VirtualTableProps<T>): ReactNode {
  const { rows, columns, rowHeight = 32 } = props;
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    setViewport(element.clientHeight);
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const template = columns.map((c) => c.width).join(' ');
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN_ROWS);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / rowHeight) + OVERSCAN_ROWS);
  const visible: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const row = rows[i] as T;
    visible.push(
      <div role="row" aria-rowindex={i + 2} className="vt-row" key={props.rowKey(row)} style={{ top: i * rowHeight, height: rowHeight, gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div role="cell" key={c.key} className={c.align === 'right' ? 'vt-cell num' : 'vt-cell'}>
            {c.render(row)}
          </div>
        ))}
      </div>,
    );
  }
  return (
    <div
      ref={box}
      className="vt-box"
      style={{ height: props.height ?? 'calc(100vh - 15rem)' }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      role="table"
      aria-label={props.label}
      aria-rowcount={rows.length + 1}
      tabIndex={0}
    >
      <div className="vt-inner" style={{ minWidth: props.minWidth ?? '40rem' }}>
        <div role="row" aria-rowindex={1} className="vt-head" style={{ gridTemplateColumns: template, height: rowHeight }}>
          {columns.map((c) => {
            const sorted = props.sort?.key === c.key;
            const ariaSort = sorted ? (props.sort?.descending ? 'descending' : 'ascending') : 'none';
            return (
              <div role="columnheader" key={c.key} aria-sort={c.sortable ? ariaSort : undefined} className={c.align === 'right' ? 'vt-cell num' : 'vt-cell'}>
                {c.sortable && props.onSort ? (
                  <button type="button" className="sort" onClick={() => props.onSort?.(c.key)}>
                    {c.label}
                    <span aria-hidden="true">{sorted ? (props.sort?.descending ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                ) : (
                  c.label
                )}
              </div>
            );
          })}
        </div>
        <div className="vt-body" style={{ height: rows.length * rowHeight }}>
          {visible}
        </div>
        {rows.length === 0 ? <p className="empty">{props.empty ?? 'Nothing to show.'}</p> : null}
      </div>
    </div>
  );
}

/** Toggles a sort: the same key flips the direction, another key sorts ascending by it. */
export function nextSort(current: Sort, key: string): Sort {
  return current.key === key ? { key, descending: !current.descending } : { key, descending: false };
}
