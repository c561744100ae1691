/**
 * Master high availability on a real ZooKeeper: the coordinator endpoint the
 * core HA master talks to, the leader detector for agents and clients, and
 * `zk://` URL parsing. See README.md here for the znode layout and fencing.
 */
export { createZooKeeperCoordinator, type ZooKeeperCoordinator, type ZooKeeperCoordinatorOptions, type CoordinatorLeader } from './coordinator-endpoint.js';
export { createZooKeeperDetector, detectLeaderOnce, type DetectedLeader, type ZooKeeperDetector, type ZooKeeperDetectorOptions } from './detector.js';
export { parseZkUrl, isZkUrl, DEFAULT_ZK_PATH, DEFAULT_ZK_PORT, type ZkUrl, type ZkServer } from './url.js';
export { epochOfSequence, sequenceOfEpoch, masterInfoOf, parseLeaderInfo, leadingMember, memberSequence, ipv4ToMesosUint32, MEMBER_PREFIX, type MasterInfo, type MasterAddress, type LeaderInfo } from './master-info.js';
export { removeElectionNodes } from './operator.js';
export { REGISTRY_CHILD, encodeRegistry, decodeRegistry } from './registry-znode.js';
