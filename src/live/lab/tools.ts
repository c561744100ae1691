/**
 * Where `ip`, `iptables` and `iptables-restore` are. They live in /usr/sbin,
 * which a non-login shell's or a CI runner's PATH often lacks, so the usual
 * places are tried before falling back to the bare name (PATH).
 */
import { accessSync, constants } from 'node:fs';

/** The lab's external tools, as absolute paths when found. */
export interface LabTools {
  readonly ip: string;
  readonly iptables: string;
  readonly iptablesRestore: string;
}

const DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

function find(name: string): string {
  for (const dir of DIRS) {
    const path = `${dir}/${name}`;
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here: try the next place
    }
  }
  return name;
}

let found: LabTools | null = null;

/** The tools' paths, looked up once per process. */
export function labTools(): LabTools {
  found ??= { ip: find('ip'), iptables: find('iptables'), iptablesRestore: find('iptables-restore') };
  return found;
}
