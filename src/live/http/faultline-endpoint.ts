/**
 * faultline's operator API extension on a served master (src/api/faultline-call.ts):
 * FAULTLINE_GET_INFO from the world's state and the faults it saw, and
 * FAULTLINE_INJECT_FAULT through the chaos hook when the server allows chaos.
 */
import type { FaultlineCall, FaultlineFaultInfo, FaultlineInfo } from '../../api/faultline-call.js';
import type { Result } from '../../core/errors.js';
import type { HistoryRecord } from '../../core/events.js';
import { faultTarget, type Fault } from '../../core/faults.js';
import { errorAnswer, jsonAnswer, type Answer } from './respond.js';
import type { ServedWorld } from './world.js';

/** How a server injects faults: given when started with chaos allowed. */
export interface ChaosHook {
  /** Applies one concrete fault; the one-line description, or why not. */
  inject(fault: Fault): Result<string>;
}

/** The faults FAULTLINE_GET_INFO lists (the most recent ones). */
const RECENT_FAULTS = 200;

/** Why the page is read-only when no chaos hook was given. */
const CHAOS_OFF = 'chaos is off on this master (start it with --allow-chaos, or use faultline serve)';

/** The extension calls of one server (shared by its masters). */
export class FaultlineEndpoint {
  private readonly faults: FaultlineFaultInfo[] = [];

  constructor(
    private readonly world: ServedWorld,
    private readonly chaos: ChaosHook | null,
    /** Whether the agents are processes that serve `/files/read` (live agents do; simulated ones serve no HTTP). */
    private readonly agentsServeFiles = false,
  ) {}

  /** Feeds one history record (keeps the recent faults). */
  onRecord(record: HistoryRecord): void {
    if (record.type !== 'fault.injected') return;
    this.faults.push({ seq: record.seq, time: record.atMs / 1000, kind: record.fault.kind, target: faultTarget(record.fault), detail: record.detail });
    if (this.faults.length > RECENT_FAULTS) this.faults.shift();
  }

  /** Answers a parsed extension call. */
  answer(call: FaultlineCall): Answer {
    switch (call.type) {
      case 'FAULTLINE_GET_INFO':
        return jsonAnswer({ type: call.type, faultline_get_info: this.info() });
      case 'FAULTLINE_INJECT_FAULT': {
        if (this.chaos === null) return errorAnswer({ status: 403, message: CHAOS_OFF });
        const injected = this.chaos.inject(call.fault);
        if (!injected.ok) return errorAnswer({ status: 400, message: `${call.fault.kind}: ${injected.error.message}` });
        return jsonAnswer({ type: call.type, faultline_inject_fault: { detail: injected.value } });
      }
      default: {
        const never: never = call;
        throw new Error(`unexpected faultline call ${String(never)}`);
      }
    }
  }

  private info(): FaultlineInfo {
    const state = this.world.state();
    const agentStates: Record<string, string> = {};
    for (const agent of state.agents.values()) agentStates[agent.agentId] = agent.state;
    return {
      chaos_allowed: this.chaos !== null,
      chaos_reason: this.chaos === null ? CHAOS_OFF : '',
      masters: [...state.masters.values()].map((m) => ({
        node: m.node,
        state: m.state,
        master_id: m.masterId,
        epoch: m.epoch,
        elected_time: m.electedAtMs === null ? null : m.electedAtMs / 1000,
      })),
      agent_states: agentStates,
      agents_serve_files: this.agentsServeFiles,
      faults: this.faults,
    };
  }
}
