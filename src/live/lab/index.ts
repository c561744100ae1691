/** The network lab a live cluster runs in (README.md): namespaces, iptables faults, a delay proxy, cleanup. */
export { attachNetLab, openNetLab, type NetLab, type NetLabMode, type NetLabRequest, type OpenNetLabOptions, type DropOptions } from './net-lab.js';
export { closeAllLabs, installLabCleanupOnExit, openLabNamespaces } from './registry.js';
export { sweepStaleLabs, isPidAlive, type SweepOptions } from './sweep.js';
export { startDelayProxy, type DelayProxy, type DelayProxyOptions, type DelayDraw, type HostPort } from './delay-proxy.js';
export { type Portal } from './portal.js';
export { execFileRunner, type CommandRunner, type CommandOutput, type CommandOptions } from './command-runner.js';
export { labAddress, createAddressAllocator, isIpv4, type AddressAllocator } from './addresses.js';
export { LAB_CHAIN, directedPairs, dropRestoreInput, dropRule, validateDrop, type DropSpec, type DirectedDrop } from './rules.js';
export { labNamespaceName, pidOfLabName } from './names.js';
