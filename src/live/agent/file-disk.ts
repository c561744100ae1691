/**
 * The core agent's checkpoint (src/core/agent/disk.ts) on a real disk: one
 * JSON file in the agent's work directory, `<workDir>/agent.json`, written
 * atomically (temporary file, fsync, rename) at each commit point and read
 * back when the agent process starts. The file's shape is checked on read,
 * as disk.ts asks of its caller: a file that does not parse or has the wrong
 * shape is a typed CHECKPOINT_CORRUPT error naming the file, never a crash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentDiskFromJson, agentDiskToJson, newAgentDisk, type AgentDisk, type AgentDiskJson } from '../../core/agent/disk.js';
import { err, ok, type Result } from '../../core/errors.js';
import { TASK_STATES } from '../../core/task-state.js';
import { writeFileAtomic } from '../executor/atomic-file.js';

/** The agent checkpoint's file name in the work directory. */
export const AGENT_CHECKPOINT_FILE = 'agent.json';

/** An agent disk kept in a file. */
export interface FileAgentDisk {
  /** The live object the core agent mutates (pass it as `AgentOptions.disk`). */
  readonly disk: AgentDisk;
  /** The file. */
  readonly path: string;
  /** Writes the disk if it changed since the last commit (call after each agent handler); true when it wrote. */
  commit(): boolean;
}

const STATES = new Set<string>(TASK_STATES);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** What is wrong with a parsed file, or null when it has the shape of AgentDiskJson. */
export function agentDiskJsonProblem(json: unknown): string | null {
  if (!isObject(json)) return 'not an object';
  if (json.version !== 1) return `unknown version ${JSON.stringify(json.version)}`;
  if (json.agentId !== null && !isString(json.agentId)) return 'agentId is neither a string nor null';
  if (!Array.isArray(json.tasks)) return 'tasks is not an array';
  for (const [i, t] of json.tasks.entries()) {
    if (!isObject(t) || !isObject(t.task)) return `tasks[${i}] has no task`;
    const task = t.task;
    if (!isString(task.taskId) || typeof task.command !== 'string' || typeof task.name !== 'string' || !isObject(task.resources)) return `tasks[${i}].task is not a task`;
    if (!Array.isArray(task.resources.ports)) return `tasks[${i}].task.resources has no ports`;
    if (!isString(t.frameworkId)) return `tasks[${i}] has no frameworkId`;
    if (typeof t.state !== 'string' || !STATES.has(t.state)) return `tasks[${i}] has an unknown state`;
  }
  if (!Array.isArray(json.frameworks)) return 'frameworks is not an array';
  for (const [i, f] of json.frameworks.entries()) {
    if (!isObject(f) || !isString(f.frameworkId) || typeof f.name !== 'string' || !isString(f.schedulerNode) || typeof f.partitionAware !== 'boolean') return `frameworks[${i}] is not a framework`;
  }
  if (!Array.isArray(json.updates)) return 'updates is not an array';
  for (const [i, u] of json.updates.entries()) {
    if (!Array.isArray(u) || u.length !== 2 || !isString(u[0]) || !Array.isArray(u[1])) return `updates[${i}] is not [taskId, statuses]`;
    for (const s of u[1] as unknown[]) {
      if (!isObject(s) || !isString(s.taskId) || typeof s.state !== 'string' || !STATES.has(s.state) || typeof s.timestampMs !== 'number') return `updates[${i}] holds a bad status`;
    }
  }
  return null;
}

/** Reads an agent disk from `path`: an absent file is an empty disk (a host that never ran an agent). */
export function readAgentDisk(path: string): Result<AgentDisk> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ok(newAgentDisk());
    return err('IO', `cannot read the agent checkpoint: ${(error as Error).message}`, path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return err('CHECKPOINT_CORRUPT', `corrupt agent checkpoint: not JSON (${(error as Error).message})`, path);
  }
  const problem = agentDiskJsonProblem(json);
  if (problem !== null) return err('CHECKPOINT_CORRUPT', `corrupt agent checkpoint: ${problem}`, path);
  return ok(agentDiskFromJson(json as AgentDiskJson));
}

/** Writes an agent disk to `path` atomically. */
export function writeAgentDisk(path: string, disk: AgentDisk): void {
  writeFileAtomic(path, serialise(disk));
}

const serialise = (disk: AgentDisk): string => `${JSON.stringify(agentDiskToJson(disk))}\n`;

/** Opens the agent checkpoint of a work directory (`<workDir>/agent.json`). */
export function openFileAgentDisk(workDir: string): Result<FileAgentDisk> {
  const path = join(workDir, AGENT_CHECKPOINT_FILE);
  const read = readAgentDisk(path);
  if (!read.ok) return read;
  const disk = read.value;
  // Most handlers (pings) change nothing: compare before paying for an fsync.
  let written = serialise(disk);
  return ok({
    disk,
    path,
    commit: () => {
      const text = serialise(disk);
      if (text === written) return false;
      writeFileAtomic(path, text);
      written = text;
      return true;
    },
  });
}
