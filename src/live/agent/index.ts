/** The live agent's pieces that are not the daemon: its checkpoint file and its HTTP surface. */
export { AGENT_CHECKPOINT_FILE, openFileAgentDisk, readAgentDisk, writeAgentDisk, type FileAgentDisk } from './file-disk.js';
export { answerAgentRequest, serveAgentHttp, type AgentHttpAnswer, type AgentHttpContext, type AgentHttpServer } from './agent-http.js';
export { answerFilesBrowse, answerFilesRead, MAX_READ_BYTES } from './agent-files.js';
export { agentStateJson, AGENT_STATE_VERSION, type AgentStateInput, type AgentStateJson, type AgentExecutorJson, type AgentFrameworkJson, type AgentTaskJson } from './agent-state.js';
