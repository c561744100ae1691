/**
 * A fake terminal for runTui and the first paint: a stdout that records what
 * is written, and a stdin that Ink can read keys from and that records its
 * raw mode.
 */
import { EventEmitter } from 'node:events';

/** A TTY stdout (80x24 unless changed) that keeps everything written. */
export class FakeStdout extends EventEmitter {
  columns = 80;
  rows = 24;
  isTTY = true;
  output = '';
  write = (chunk: string): boolean => {
    this.output += chunk;
    return true;
  };
}

/** A stdin: `write` hands Ink one chunk; `rawModes` lists every setRawMode call. */
export class FakeStdin extends EventEmitter {
  data: string | null = null;
  readonly rawModes: boolean[] = [];
  constructor(public isTTY: boolean) {
    super();
  }
  write(data: string): void {
    this.data = data;
    this.emit('readable');
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(on: boolean): void {
    this.rawModes.push(on);
  }
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}
