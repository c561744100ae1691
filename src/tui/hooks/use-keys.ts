/**
 * Forwards key presses to the controller, one token per key (an input string
 * like `"jjjj"` is four presses). Off when stdin is not a TTY: raw mode would
 * crash there (src/tui/README.md).
 */
import { useInput } from 'ink';
import { useCallback } from 'react';
import type { Controller } from '../controller.js';
import { tokensOf } from '../keys.js';

/** Listens to the keyboard while `active`. */
export function useKeys(controller: Controller, active: boolean): void {
  const onInput = useCallback<Parameters<typeof useInput>[0]>((input, key) => controller.handleKeys(tokensOf(input, key)), [controller]);
  useInput(onInput, { isActive: active });
}
