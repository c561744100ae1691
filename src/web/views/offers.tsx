/** The Offers view: outstanding offers, polled through GET_FRAMEWORKS (offers never stream). */
import type { ReactNode } from 'react';
import { useWeb } from '../context.js';
import type { OfferRow } from '../model.js';
import { frameworkHref } from '../route.js';
import { VirtualTable, type Column } from '../virtual-table.js';

/** The offers page. */
export function Offers(): ReactNode {
  useWeb((s) => s.version);
  const model = useWeb((s) => s.model);
  const columns: Column<OfferRow>[] = [
    { key: 'id', label: 'Offer id', width: 'minmax(12rem, 2fr)', render: (o) => <code>{o.id}</code> },
    { key: 'framework', label: 'Framework', width: 'minmax(7rem, 1fr)', render: (o) => <a href={frameworkHref(o.frameworkId)}>{model.frameworks.get(o.frameworkId)?.name ?? o.frameworkId}</a> },
    { key: 'agent', label: 'Agent', width: 'minmax(7rem, 1fr)', render: (o) => o.hostname || model.agentName(o.agentId) },
    { key: 'cpus', label: 'CPUs', width: '5rem', align: 'right', render: (o) => o.resources.cpus },
    { key: 'mem', label: 'Mem MB', width: '6rem', align: 'right', render: (o) => o.resources.mem },
    { key: 'disk', label: 'Disk MB', width: '6rem', align: 'right', render: (o) => o.resources.disk },
  ];
  return (
    <section aria-labelledby="offers-title">
      <h1 id="offers-title">
        Offers <span className="count">{model.offers.length}</span>
      </h1>
      <p className="muted small">Refreshed every 5 seconds from GET_FRAMEWORKS: the operator stream carries no offers.</p>
      <VirtualTable label="Offers" rows={model.offers} columns={columns} rowKey={(o) => o.id} minWidth="46rem" empty="No outstanding offers." />
    </section>
  );
}
