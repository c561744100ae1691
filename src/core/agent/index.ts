/** The Mesos agent: the actor, its checkpoint and its status update manager. */
export { createAgent, PING_TIMEOUT_TIMER, REGISTER_TIMER, type AgentOptions } from './agent.js';
export { agentDiskFromJson, agentDiskToJson, newAgentDisk, rebootAgentDisk, type AgentDisk, type AgentDiskJson, type CheckpointedTask } from './disk.js';
export { createStatusUpdateManager, STATUS_RETRY_TIMER_PREFIX, type NewTaskStatus, type StatusUpdateManager, type StatusUpdateManagerOptions } from './status-updates.js';
