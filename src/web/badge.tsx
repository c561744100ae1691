/** A state told in words, its colour only repeating them. */
import type { ReactNode } from 'react';
import { agentTone, taskTone, taskWord, type AgentWord, type Tone } from './words.js';

/** A word in a tone. */
export function Badge(props: { readonly tone: Tone; readonly children: ReactNode }): ReactNode {
  return <span className={`badge tone-${props.tone}`}>{props.children}</span>;
}

/** A task state as a badge (`running`). */
export function TaskState(props: { readonly state: string }): ReactNode {
  return <Badge tone={taskTone(props.state)}>{taskWord(props.state)}</Badge>;
}

/** An agent state as a badge. */
export function AgentState(props: { readonly state: AgentWord }): ReactNode {
  return <Badge tone={agentTone(props.state)}>{props.state}</Badge>;
}
