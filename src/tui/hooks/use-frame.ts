/**
 * The React binding of the store: the component re-renders when the frame it
 * would draw changes, not on every store update (the feed sync updates the
 * store up to ten times a second; most updates change nothing on screen).
 */
import { useSyncExternalStore } from 'react';
import type { FrameLine } from '../frame.js';
import type { StableFrame } from '../stable-frame.js';
import type { TuiStore } from '../store.js';

/** The current frame, subscribed to the store. */
export function useFrame(store: TuiStore, frames: StableFrame): readonly FrameLine[] {
  return useSyncExternalStore(store.subscribe, () => frames.of(store.getState()));
}
