/**
 * `npm run bench`: runs every bench in bench/*.bench.ts, each in its own child
 * process (so memory figures are its own and one crash does not stop the rest),
 * prints a table of each figure beside its anchor and goal, and writes
 * bench-results.json (an array of {name, value, unit, anchor, goal}) plus
 * bench-machine.json (the machine and per-run details). See BENCHMARKS.md.
 *
 *   npm run bench                      all benches
 *   npm run bench -- --only a,b        only these (results of the others are kept)
 *   npm run bench -- --list            names, units, anchors, goals
 *   npm run bench -- --timeout-s 600   per-bench limit (default 1200)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bench, BenchResult } from '../bench/types.js';

const ROOT = resolve(import.meta.dirname, '..');
const BENCH_DIR = join(ROOT, 'bench');
const RESULTS_FILE = join(ROOT, 'bench-results.json');
const MACHINE_FILE = join(ROOT, 'bench-machine.json');
const EXIT_USAGE = 64;

/** What a child reports back through its result file. */
interface ChildReport {
  value: number;
  wallMs: number;
  peakRssMb: number;
}

/** Per-run details kept in bench-machine.json beside the machine. */
interface RunDetail {
  measuredAt: string;
  met: boolean | null;
  ratioToAnchor: number | null;
  wallMs: number;
  peakRssMb: number;
}

interface Found {
  file: string;
  bench: Bench;
}

/** The machine the figures come from. */
function machine(): Record<string, string | number> {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** A bench file that could not be loaded (it names no benches we can run). */
interface Broken {
  file: string;
  error: string;
}

/** Imports every bench file; one that fails to load is reported, not fatal. */
async function discover(): Promise<{ found: Found[]; broken: Broken[] }> {
  const files = existsSync(BENCH_DIR) ? readdirSync(BENCH_DIR).filter((f) => f.endsWith('.bench.ts')).sort() : [];
  const found: Found[] = [];
  const broken: Broken[] = [];
  const names = new Set<string>();
  for (const file of files) {
    try {
      const module = (await import(pathToFileURL(join(BENCH_DIR, file)).href)) as { benches?: Bench[] };
      if (!Array.isArray(module.benches)) throw new Error('exports no `benches` array');
      for (const bench of module.benches) {
        if (names.has(bench.name)) throw new Error(`bench name ${bench.name} is used twice`);
        names.add(bench.name);
        found.push({ file, bench });
      }
    } catch (e) {
      broken.push({ file, error: e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e) });
    }
  }
  return { found, broken };
}

/** Child mode: run one bench, write its report as JSON. */
async function runChild(file: string, name: string, out: string): Promise<void> {
  const module = (await import(pathToFileURL(join(BENCH_DIR, file)).href)) as { benches: Bench[] };
  const bench = module.benches.find((b) => b.name === name);
  if (!bench) throw new Error(`no bench ${name} in bench/${file}`);
  const start = performance.now();
  const value = await bench.run();
  const wallMs = performance.now() - start;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${name} returned ${String(value)}, not a finite number`);
  const report: ChildReport = { value, wallMs, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  writeFileSync(out, JSON.stringify(report));
}

function runInChild(found: Found, timeoutS: number): ChildReport | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  const out = join(dir, 'report.json');
  try {
    const child = spawnSync(
      process.execPath,
      ['--max-old-space-size=8192', ...(found.bench.nodeFlags ?? []), '--import', 'tsx', join(ROOT, 'scripts', 'bench.ts'), '--child', found.file, found.bench.name, out],
      // The child's own output (progress, details) goes to our stderr; stdout keeps only the table.
      { cwd: ROOT, stdio: ['ignore', 2, 2], timeout: timeoutS * 1000, env: { ...process.env, NODE_ENV: 'production' } },
    );
    if (child.error) return { error: child.error.message };
    if (child.status !== 0) return { error: `exited with ${child.status ?? child.signal}` };
    return JSON.parse(readFileSync(out, 'utf8')) as ChildReport;
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function formatValue(value: number, unit: string): string {
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

function readJson<T>(path: string, fallback: T): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

function parseArgs(argv: readonly string[]): { only: string[] | null; list: boolean; timeoutS: number } {
  let only: string[] | null = null;
  let list = false;
  let timeoutS = 1200;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') usage(`${flag} needs a value`);
      return v;
    };
    if (flag === '--only') only = [...(only ?? []), ...value().split(',').map((s) => s.trim()).filter(Boolean)];
    else if (flag === '--list') list = true;
    else if (flag === '--timeout-s') timeoutS = Number(value());
    else usage(`unknown argument ${arg}`);
  }
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) usage('--timeout-s must be a positive number of seconds');
  return { only, list, timeoutS };
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nusage: npm run bench -- [--only NAME[,NAME...]] [--list] [--timeout-s N]\n`);
  process.exit(EXIT_USAGE);
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === '--child') {
    const [, file, name, out] = argv;
    if (!file || !name || !out) usage('--child FILE NAME OUT');
    await runChild(file, name, out);
    return 0;
  }
  const args = parseArgs(argv);
  const { found: all, broken } = await discover();
  for (const b of broken) process.stderr.write(`bench: bench/${b.file} does not load: ${b.error}\n`);
  if (args.list) {
    const rows = [['name', 'unit', 'anchor', 'goal', 'file'], ...all.map(({ file, bench: b }) => [b.name, b.unit, b.anchor, b.goal, `bench/${file}`])];
    for (const b of broken) rows.push(['?', '', '', '', `bench/${b.file} (does not load)`]);
    process.stdout.write(`${table(rows)}\n`);
    return broken.length > 0 ? 1 : 0;
  }
  const unknown = (args.only ?? []).filter((name) => !all.some((f) => f.bench.name === name));
  if (unknown.length > 0) usage(`no bench named ${unknown.join(', ')} (try --list)${broken.length > 0 ? '; some bench files do not load' : ''}`);
  const selected = args.only ? all.filter((f) => args.only?.includes(f.bench.name)) : all;

  const host = machine();
  process.stdout.write(`machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGb} GB, node ${host.node}, ${host.platform}, load ${host.loadAverage1m}\n`);
  const results = readJson<BenchResult[]>(RESULTS_FILE, []).filter((r) => typeof r?.name === 'string');
  const details = readJson<{ runs?: Record<string, RunDetail | { error: string }> }>(MACHINE_FILE, {}).runs ?? {};
  const rows = [['name', 'value', 'anchor', 'goal', 'met', 'vs anchor']];
  // Files that do not load count as failures of a full run (with --only, the others still run).
  let failures = args.only ? 0 : broken.length;
  if (!args.only) for (const b of broken) rows.push([`bench/${b.file}`, 'FAILED (load)', '-', '-', '-', '-']);
  for (const found of selected) {
    const b = found.bench;
    process.stderr.write(`bench ${b.name} ...\n`);
    const report = runInChild(found, args.timeoutS);
    const at = results.findIndex((r) => r.name === b.name);
    if ('error' in report) {
      failures += 1;
      process.stderr.write(`bench ${b.name} FAILED: ${report.error}\n`);
      if (at >= 0) results.splice(at, 1); // a stale figure would read as current
      details[b.name] = { error: report.error };
      rows.push([b.name, 'FAILED', b.anchor, b.goal, '-', '-']);
      continue;
    }
    const result: BenchResult = { name: b.name, value: report.value, unit: b.unit, anchor: b.anchor, goal: b.goal };
    if (at >= 0) results[at] = result;
    else results.push(result);
    const met = b.goalCheck ? b.goalCheck(report.value, { peakRssMb: report.peakRssMb }) : null;
    const ratio = b.anchorValue ? report.value / b.anchorValue : null;
    details[b.name] = { measuredAt: new Date().toISOString(), met, ratioToAnchor: ratio, wallMs: Math.round(report.wallMs), peakRssMb: report.peakRssMb };
    rows.push([b.name, formatValue(report.value, b.unit), b.anchor, b.goal, met === null ? '-' : met ? 'met' : 'NOT MET', ratio === null ? '-' : `${ratio.toPrecision(2)}x`]);
  }
  process.stdout.write(`${table(rows)}\n`);
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(MACHINE_FILE, `${JSON.stringify({ machine: host, runs: details }, null, 2)}\n`);
  process.stdout.write(`wrote bench-results.json and bench-machine.json${failures > 0 ? `; ${failures} bench(es) failed` : ''}\n`);
  return failures > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(70);
  },
);
