/**
 * The agent's checkpoint in its work directory (`<workDir>/agent.json`):
 * read once when the agent process starts, committed atomically after every
 * handler that changed it (the commit point of src/core/agent/disk.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentDiskFromJson, agentDiskToJson, newAgentDisk, type AgentDisk, type AgentDiskJson } from '../../core/agent/index.js';
import { err, ok, type Result } from '../../core/errors.js';
import { writeFileAtomic } from './atomic-file.js';

/** A disk and its commit. */
export interface FileAgentDisk {
  readonly disk: AgentDisk;
  /** Writes the disk if it changed since the last commit. */
  commit(): void;
}

/** Opens (or creates) the checkpoint of a work directory. */
export function openAgentDisk(workDir: string): Result<FileAgentDisk> {
  const path = join(workDir, 'agent.json');
  let disk: AgentDisk = newAgentDisk();
  if (existsSync(path)) {
    try {
      const json = JSON.parse(readFileSync(path, 'utf8')) as AgentDiskJson;
      if (json.version !== 1 || !Array.isArray(json.tasks) || !Array.isArray(json.frameworks) || !Array.isArray(json.updates)) throw new Error('not an agent checkpoint');
      disk = agentDiskFromJson(json);
    } catch (error) {
      return err('IO', `cannot read the agent checkpoint ${path}: ${error instanceof Error ? error.message : String(error)}`, '--work-dir');
    }
  }
  let last = JSON.stringify(agentDiskToJson(disk));
  return ok({
    disk,
    commit: () => {
      const text = JSON.stringify(agentDiskToJson(disk));
      if (text === last) return;
      writeFileAtomic(path, text);
      last = text;
    },
  });
}
