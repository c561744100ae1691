/**
 * Every lab this process opened and has not closed, so that one call (or the
 * process's exit and signals) removes them all: a run cut short must not
 * leave a namespace with cluster processes in it. The signal hooks are
 * installed only on request (`installLabCleanupOnExit`), because a library
 * must not take over a program's SIGINT.
 */
import { EXIT } from '../../core/exit-codes.js';

/** What the registry needs of an open lab. */
export interface RegisteredLab {
  readonly namespace: string | null;
  close(): Promise<void>;
  /** Best-effort synchronous close for the 'exit' hook. */
  closeSync(): void;
}

const open = new Set<RegisteredLab>();

/** Adds a lab (openNetLab does this as soon as its namespace exists). */
export function registerLab(lab: RegisteredLab): void {
  open.add(lab);
}

/** Removes a lab (its close does this). */
export function unregisterLab(lab: RegisteredLab): void {
  open.delete(lab);
}

/** The namespaces of the labs open now, for tests and reports. */
export function openLabNamespaces(): string[] {
  return [...open].flatMap((lab) => (lab.namespace === null ? [] : [lab.namespace]));
}

/** Closes every open lab (processes killed, namespaces deleted). Never throws. */
export async function closeAllLabs(): Promise<void> {
  await Promise.all([...open].map((lab) => lab.close()));
}

function closeAllLabsSync(): void {
  for (const lab of [...open]) lab.closeSync();
}

let uninstall: (() => void) | null = null;

/**
 * Closes every open lab when the process exits (synchronously) and on SIGINT
 * and SIGTERM. On a signal, when no other listener handles it, the process
 * then exits with 130 or 143 as the default would; when the program has its
 * own listener, that listener decides when to exit (the 'exit' hook still
 * removes whatever is left). Idempotent; returns the uninstall.
 */
export function installLabCleanupOnExit(): () => void {
  if (uninstall !== null) return uninstall;
  const onExit = (): void => closeAllLabsSync();
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    const alone = process.listenerCount(signal) === 1;
    void closeAllLabs().finally(() => {
      if (alone) process.exit(signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
    });
  };
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  uninstall = () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    uninstall = null;
  };
  return uninstall;
}
