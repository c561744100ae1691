/** The Events view: what the stream, the polls and the page's faults told, newest first. */
import { useMemo, type ReactNode } from 'react';
import { Badge } from '../badge.js';
import { clock } from '../chart.js';
import { useWeb, useWebStore } from '../context.js';
import type { EventKind, EventLine } from '../model.js';
import { useThrottled } from '../sorting.js';
import { VirtualTable, type Column } from '../virtual-table.js';
import type { Tone } from '../words.js';

const KIND_TONE: Record<EventKind, Tone> = { task: 'done', agent: 'busy', framework: 'good', fault: 'bad', master: 'warn', stream: 'muted' };
const KINDS = Object.keys(KIND_TONE) as EventKind[];

/** The events page. */
export function Events(): ReactNode {
  const version = useWeb((s) => s.version);
  const model = useWeb((s) => s.model);
  const kind = useWeb((s) => s.eventKind);
  const store = useWebStore();
  const setKind = (k: EventKind | null): void => store.setState({ eventKind: k });
  const listVersion = useThrottled(version, 250);
  const rows = useMemo(() => model.events.filter((e) => kind === null || e.kind === kind).reverse(), [model, listVersion, kind]);
  const columns: Column<EventLine>[] = [
    { key: 'time', label: 'Time', width: '6rem', render: (e) => clock(e.atMs) },
    { key: 'kind', label: 'Kind', width: '7rem', render: (e) => <Badge tone={KIND_TONE[e.kind]}>{e.kind}</Badge> },
    { key: 'text', label: 'Event', width: 'minmax(16rem, 1fr)', render: (e) => (e.href ? <a href={e.href}>{e.text}</a> : e.text) },
  ];
  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title">
        Events <span className="count">{rows.length}</span>
      </h1>
      <div className="chips" role="group" aria-label="Show only events of a kind">
        <button type="button" className="chip" aria-pressed={kind === null} onClick={() => setKind(null)}>
          all
        </button>
        {KINDS.map((k) => (
          <button type="button" key={k} className={`chip tone-${KIND_TONE[k]}`} aria-pressed={kind === k} onClick={() => setKind(kind === k ? null : k)}>
            {k}
          </button>
        ))}
      </div>
      <VirtualTable label="Events, newest first" rows={rows} columns={columns} rowKey={(e) => String(e.seq)} minWidth="30rem" empty="No events yet." />
    </section>
  );
}
