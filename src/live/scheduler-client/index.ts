/**
 * The Mesos v1 scheduler HTTP client: the client, its endpoint parsing and the v1 shapes it reads.
 */
export { SchedulerClient, type SchedulerClientOptions } from './client.js';
export { parseMasterAddress, resolveRedirect, formatEndpoint, SCHEDULER_API_PATH, type MasterEndpoint } from './endpoint.js';
export { realTimers, type Timers, type TimerHandle } from './timers.js';
export { parseEvent, TERMINAL_TASK_STATES, type V1Call, type V1Event, type V1Offer, type V1Resource, type V1TaskStatus, type V1Id } from './v1.js';
export { toV1Resources, fromV1Resources } from './v1-resources.js';
