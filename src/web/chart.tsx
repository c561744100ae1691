/**
 * Running tasks over time as an inline SVG, the faults marked on it as
 * numbered lines, listed below in words (the marks are not colour only).
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useWeb } from './context.js';
import type { ChartPoint, FaultMark } from './model.js';

const HEIGHT = 180;
const PAD_LEFT = 44;
const PAD_BOTTOM = 22;
const PAD_TOP = 12;

/** Wall-clock `HH:MM:SS`. */
export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

/** The running-tasks chart. */
export function RunningChart(): ReactNode {
  // The drawing is as wide as its box in CSS pixels, so its text stays readable on a phone.
  const box = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(640);
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const measure = (): void => setWidth(Math.max(240, Math.round(element.clientWidth)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useWeb((s) => s.chartVersion);
  useWeb((s) => s.version);
  const model = useWeb((s) => s.model);
  const points: readonly ChartPoint[] = model.chart;
  const faults: readonly FaultMark[] = model.faults;
  const now = points.length > 0 ? (points[points.length - 1] as ChartPoint).atMs : 0;
  const start = points.length > 0 ? (points[0] as ChartPoint).atMs : 0;
  const span = Math.max(60_000, now - start);
  const from = now - span;
  const top = Math.max(1, ...points.map((p) => p.running));
  const x = (ms: number): number => PAD_LEFT + ((ms - from) / span) * (width - PAD_LEFT - 8);
  const y = (running: number): number => HEIGHT - PAD_BOTTOM - (running / top) * (HEIGHT - PAD_BOTTOM - PAD_TOP);
  const line = points.map((p) => `${x(p.atMs).toFixed(1)},${y(p.running).toFixed(1)}`).join(' ');
  const shown = faults.map((f, i) => ({ f, n: i + 1 })).filter(({ f }) => f.atMs >= from);
  const current = points.length > 0 ? (points[points.length - 1] as ChartPoint).running : model.running();
  return (
    <figure className="chart" ref={box}>
      <svg viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-label={`Running tasks over the last ${Math.round(span / 1000)} seconds: ${current} now, ${shown.length} faults marked`} data-testid="running-chart" data-running={current} data-faults={shown.length}>
        <line x1={PAD_LEFT} y1={y(0)} x2={width - 8} y2={y(0)} className="axis" />
        <line x1={PAD_LEFT} y1={y(top)} x2={width - 8} y2={y(top)} className="grid" />
        <text x={PAD_LEFT - 6} y={y(top) + 4} className="tick" textAnchor="end">
          {top}
        </text>
        <text x={PAD_LEFT - 6} y={y(0) + 4} className="tick" textAnchor="end">
          0
        </text>
        <text x={PAD_LEFT} y={HEIGHT - 4} className="tick">
          {points.length > 0 ? clock(from) : ''}
        </text>
        <text x={width - 8} y={HEIGHT - 4} className="tick" textAnchor="end">
          {points.length > 0 ? clock(now) : ''}
        </text>
        {shown.map(({ f, n }) => (
          <g key={n} className="fault-mark">
            <line x1={x(f.atMs)} y1={PAD_TOP - 4} x2={x(f.atMs)} y2={y(0)} />
            <text x={x(f.atMs) + 3} y={PAD_TOP + 6}>
              {n}
            </text>
            <title>{`fault ${n} at ${clock(f.atMs)}: ${f.text}`}</title>
          </g>
        ))}
        {points.length > 1 ? <polyline points={line} className="series" /> : null}
      </svg>
      <figcaption>
        Running tasks: <strong>{current}</strong>
        {shown.length > 0 ? (
          <ol className="fault-list" aria-label="Faults on the chart">
            {shown.map(({ f, n }) => (
              <li key={n} value={n}>
                {clock(f.atMs)} {f.text}
              </li>
            ))}
          </ol>
        ) : (
          <span className="muted"> · no faults in this window</span>
        )}
      </figcaption>
    </figure>
  );
}
