/**
 * `faultline top --master HOST:PORT`: the TUI attached to a live master
 * through its operator API only. It finds the leader, probes with
 * FAULTLINE_GET_INFO (a Mesos master answers 400: read-only), waits for the
 * first snapshot, then draws (or, with `--once`, prints it). A master that
 * cannot be reached is one line and exit 69 (EX_UNAVAILABLE). It follows a
 * leader change while it runs: with zk:// it keeps watching ZooKeeper and
 * moves to each new leader; with HOST:PORT a lost stream asks
 * /master/redirect again (of the last master, then of the one given).
 */
import { EXIT } from '../../core/exit-codes.js';
import { snapshotJson } from '../../core/snapshot-json.js';
import { leaderOr, OPERATOR_API_PATH, parseOperatorMaster, probeMaster } from '../../live/operator-client/index.js';
import { createZooKeeperDetector, detectLeaderOnce, isZkUrl, parseZkUrl } from '../../live/zookeeper/index.js';
import type { MasterEndpoint } from '../../live/scheduler-client/index.js';
import { ok, type Result } from '../../core/errors.js';
import { formatEndpoint } from '../../live/scheduler-client/endpoint.js';
import { fail, println, type CliIo } from '../io.js';
import { createTopFeed, type TopFeed } from '../top-feed.js';
import { launchTui, noTuiReason } from '../tui-launch.js';
import { basicAuthHeader } from '../../live/transport/auth.js';
import { readSecretFile } from '../daemon-flags.js';

/** Flags of `faultline top`. */
export interface TopFlags {
  readonly master: string;
  readonly readonly: boolean;
  readonly color: boolean;
  readonly once: boolean;
  readonly json: boolean;
  /** A file with a faultline master's secret (HTTP Basic on every operator call). */
  readonly secretFile?: string;
}

/** How long to wait for the master's answers before calling it unavailable. */
const ATTACH_TIMEOUT_MS = 10_000;

function unavailable(io: CliIo, message: string): number {
  io.stderr.write(`faultline: top: ${message}\n`);
  return EXIT.unavailable;
}

/** Resolves true once the feed has its first snapshot, false after `timeoutMs`. */
function firstSnapshot(feed: TopFeed, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    void feed.ready.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Runs `faultline top`. */
export async function topCommand(flags: TopFlags, io: CliIo): Promise<number> {
  // zk://: the leader ZooKeeper names now; from there a 307 leads on, as for HOST:PORT (the detector below follows later changes).
  const zkUrl = isZkUrl(flags.master) ? parseZkUrl(flags.master, '--master') : null;
  if (zkUrl !== null && !zkUrl.ok) return fail(io, zkUrl.error);
  const parsed = zkUrl === null ? parseOperatorMaster(flags.master) : null;
  if (parsed !== null && !parsed.ok) return fail(io, parsed.error);
  let start: Result<MasterEndpoint>;
  if (zkUrl !== null) {
    const detected = await detectLeaderOnce(zkUrl.value, ATTACH_TIMEOUT_MS);
    start = detected.ok ? ok({ host: detected.value.host, port: detected.value.port, path: OPERATOR_API_PATH }) : detected;
  } else if (parsed !== null && parsed.ok) start = parsed;
  else return fail(io, { code: 'USAGE', message: 'no master', where: '--master' });
  if (!start.ok) return unavailable(io, start.error.message);
  const secret = readSecretFile(flags.secretFile);
  if (!secret.ok) return fail(io, secret.error);
  const from = secret.value === null ? start.value : { ...start.value, authorization: basicAuthHeader(secret.value) };
  const leader = await leaderOr(from, ATTACH_TIMEOUT_MS);
  if (!leader.ok) return unavailable(io, leader.error.message);
  const probed = await probeMaster(leader.value, ATTACH_TIMEOUT_MS);
  if (!probed.ok) return unavailable(io, probed.error.message);
  if (!flags.once) {
    const noTui = noTuiReason(io);
    if (noTui !== null) {
      io.stderr.write(`faultline: ${noTui}, so the TUI does not draw. For one JSON snapshot: faultline top --master ${flags.master} --once --json\n`);
      return EXIT.usage;
    }
  }
  // zk:// keeps watching ZooKeeper: the feed moves to each new leader (and re-snapshots there) as it is elected.
  const onOperator = (at: { host: string; port: number }): MasterEndpoint => (from.authorization === undefined ? { host: at.host, port: at.port, path: OPERATOR_API_PATH } : { host: at.host, port: at.port, path: OPERATOR_API_PATH, authorization: from.authorization });
  let feedNow: TopFeed | null = null;
  const detector = zkUrl !== null && zkUrl.ok && !flags.once ? createZooKeeperDetector({ url: zkUrl.value, onChange: () => feedNow?.client.leaderChanged() }) : null;
  const feed = createTopFeed({
    endpoint: probed.value.endpoint,
    given: from,
    master: probed.value.master,
    now: () => Date.now(),
    ...(detector === null
      ? {}
      : {
          redetect: () => {
            const leader = detector.leader();
            return leader === null ? null : onOperator(leader);
          },
          title: `top ${flags.master}`,
        }),
  });
  feedNow = feed;
  const stopFeed = (): void => {
    feed.stop();
    void detector?.close();
  };
  feed.start();
  if (!(await firstSnapshot(feed, ATTACH_TIMEOUT_MS))) {
    stopFeed();
    return unavailable(io, `no snapshot from the master at ${formatEndpoint(feed.client.endpoint)} within ${ATTACH_TIMEOUT_MS / 1000}s (SUBSCRIBE and GET_AGENTS)`);
  }
  if (flags.once) {
    const state = feed.snapshot();
    feed.stop();
    if (flags.json) println(io, JSON.stringify({ master: formatEndpoint(feed.client.endpoint), readonly: feed.readonlyReason, ...(snapshotJson(state, { seed: 'live', timing: 'live' }) as object) }, null, 2));
    else println(io, `${formatEndpoint(feed.client.endpoint)} · leader ${state.leader?.node ?? 'none'} · ${state.agents.size} agents · ${state.frameworks.size} frameworks · ${state.tasks.size} tasks${feed.readonlyReason === null ? '' : ` · read-only: ${feed.readonlyReason}`}`);
    return EXIT.pass;
  }
  const readonlyReason = feed.readonlyReason ?? (flags.readonly ? '--readonly' : null);
  return launchTui(
    {
      feed,
      readonly: readonlyReason !== null,
      readonlyReason,
      title: feed.title,
      noColor: !flags.color || io.env.FORCE_COLOR === '0',
      scenario: null,
      start: () => {},
      stop: stopFeed,
      closingLines: () => [`top: detached from ${formatEndpoint(feed.client.endpoint)}`],
    },
    io,
  );
}
