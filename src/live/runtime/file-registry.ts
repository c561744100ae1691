/**
 * The master's registry in its work directory (`<workDir>/registry.json`):
 * the core's Registry (src/core/master/registry.ts) whose every write is
 * committed to disk (write + fsync + rename) before it completes, so a
 * restarted master recovers its admitted and unreachable agents, as Mesos's
 * replicated-log registry does for one master.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMPTY_REGISTRY, RegistryStore } from '../../core/coordinator/registry-store.js';
import { err, ok, type Result } from '../../core/errors.js';
import type { Registry } from '../../core/master/index.js';
import type { RegistrySnapshot } from '../../core/messages.js';
import { arr, count, num, obj, oneOf, str } from '../transport/schema.js';
import { writeFileAtomic } from '../executor/atomic-file.js';

const snapshotSchema = obj({
  agents: arr(obj({ agentId: str(256), host: str(256), state: oneOf(['admitted', 'unreachable', 'gone']), sinceMs: (v, path) => (v === null ? null : num(v, path)) })),
  nextAgentNumber: count,
});

/** The registry file of a work directory. */
export function registryPathOf(workDir: string): string {
  return join(workDir, 'registry.json');
}

/** Reads the registry file (empty when there is none); an error when it is not a registry. */
export function readRegistryFile(path: string): Result<RegistrySnapshot> {
  if (!existsSync(path)) return ok(EMPTY_REGISTRY);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return err('IO', `cannot read the registry ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problem = snapshotSchema(value, 'registry');
  return problem === null ? ok(value as RegistrySnapshot) : err('IO', `${path} is not a registry (${problem})`);
}

/** A registry recovered from `path` whose writes are durable there before they complete. */
export function createFileRegistry(path: string, seed: RegistrySnapshot): Registry {
  const store = RegistryStore.from(seed);
  return {
    recover: (done) => done({ ok: true, value: store.snapshot() }),
    agent: (agentId) => store.get(agentId),
    write(ops, done) {
      const next = RegistryStore.from(store.snapshot());
      for (const op of ops) next.apply(op);
      try {
        writeFileAtomic(path, JSON.stringify(next.snapshot()));
      } catch (error) {
        done({ ok: false, reason: `registry write failed: ${error instanceof Error ? error.message : String(error)}` });
        return;
      }
      for (const op of ops) store.apply(op);
      done({ ok: true, value: undefined });
    },
  };
}
