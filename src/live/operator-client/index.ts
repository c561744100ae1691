/**
 * The operator API client (`faultline top`): endpoint parsing, one-shot calls, the subscription, task output.
 */
export { OperatorClient, adaptivePollMs, type OperatorClientOptions } from './client.js';
export { parseOperatorMaster, onOperatorPath, operatorRedirect, OPERATOR_API_PATH } from './endpoint.js';
export { operatorCall, findLeader, leaderOr, probeMaster, type MasterKind, type OperatorCallFailure, type OperatorAnswer, type LeaderAnswer } from './http.js';
export { fetchTaskOutput, sandboxOf, agentAddressOfPid, type FetchedOutput } from './files.js';
export { connectWsOperator, WsOperatorError, type WsOperator, type WsOperatorOptions, type WsOperatorAnswer, type WsOperatorEvent, type WsOperatorClosed } from './ws-operator.js';
