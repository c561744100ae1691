/**
 * A private ZooKeeper server for a live run: Debian's `zookeeper` package
 * started directly (`ZooKeeperServerMain`; zkServer.sh's zkEnv.sh pins
 * /etc/zookeeper), on one address and port, with a data directory of the
 * run's own. The caller spawns it and does not wait: the masters' clients retry until it
 * serves, as they do after ZooKeeper restarts.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../core/errors.js';

/** Debian's server jar; its manifest Class-Path names every dependency. */
export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';

/** Where and how the server runs. */
export interface ZooKeeperServerOptions {
  readonly host: string;
  readonly port: number;
  /** Holds conf/, data/ and zookeeper.log. */
  readonly dir: string;
  /** ZooKeeper's tick: sessions are negotiated within [2, 20] ticks, so 500 ms allows sessions from 1 s. */
  readonly tickTimeMs?: number;
}

/** The `zoo.cfg` of a private standalone server. */
export function zooConfig(options: { host: string; port: number; dataDir: string; tickTimeMs: number }): string {
  return [
    `tickTime=${options.tickTimeMs}`,
    `dataDir=${options.dataDir}`,
    `clientPort=${options.port}`,
    `clientPortAddress=${options.host}`,
    // The 3.5+ AdminServer (Jetty) would otherwise listen on 8080.
    'admin.enableServer=false',
    '4lw.commands.whitelist=ruok,srvr,stat,mntr',
    '',
  ].join('\n');
}

/** Writes the config; how to start the server (the caller spawns it), or an error when the package is missing. */
export function zooKeeperLaunch(options: ZooKeeperServerOptions): Result<{ command: string; args: string[] }> {
  if (!existsSync(ZOOKEEPER_JAR)) return err('UNAVAILABLE', `ZooKeeper is not installed (${ZOOKEEPER_JAR}; apt-get install zookeeper)`, 'zookeeper');
  const confDir = join(options.dir, 'conf');
  const dataDir = join(options.dir, 'data');
  mkdirSync(confDir, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  const config = join(confDir, 'zoo.cfg');
  writeFileSync(config, zooConfig({ host: options.host, port: options.port, dataDir, tickTimeMs: options.tickTimeMs ?? 500 }));
  return ok({ command: 'java', args: ['-cp', `${confDir}:${ZOOKEEPER_JAR}`, 'org.apache.zookeeper.server.ZooKeeperServerMain', config] });
}
