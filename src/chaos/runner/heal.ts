/**
 * The start of the liveness phase: every fault undone. The network is healed,
 * paused processes resumed, and killed agents, masters and schedulers started
 * again, each as an injected fault so the history (and a replay) shows it.
 */
import type { Fault } from '../../core/faults.js';
import type { Cluster } from '../../cluster/index.js';

/** The faults that restore the cluster, in a fixed order (network, masters, agents, schedulers). */
export function healingFaults(cluster: Cluster): Fault[] {
  const faults: Fault[] = [];
  // Always heal: a swizzle-clog may still have clogs scheduled, and heal is harmless when nothing is faulty.
  faults.push({ kind: 'heal' });
  for (const node of cluster.nodesWithRole('master')) {
    const status = cluster.nodeStatus(node);
    if (status === 'paused') faults.push({ kind: 'resume-master', node });
    else if (status === 'stopped') faults.push({ kind: 'restart-master', node });
  }
  for (const node of cluster.nodesWithRole('agent')) {
    const status = cluster.nodeStatus(node);
    if (status === 'paused') faults.push({ kind: 'resume-agent', node });
    else if (status === 'stopped') faults.push({ kind: 'restart-agent', node });
  }
  for (const node of cluster.nodesWithRole('scheduler')) {
    if (cluster.nodeStatus(node) === 'stopped') faults.push({ kind: 'restart-framework', node });
  }
  return faults;
}
