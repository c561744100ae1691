/**
 * JUnit XML for CI: one test suite per scenario, one test case per check; a
 * failed check is a failure (its type the check's kind), an inconclusive one
 * is skipped. The seed, history hash and verdict are suite properties, so a
 * CI page shows how to reproduce the run.
 */
import junit from 'junit-report-builder';
import type { RunResult } from '../runner/index.js';

type Builder = typeof junit.default;

/**
 * The package is CommonJS with `module.exports = builder`, but its types say
 * `export default`: Node's default import gives the builder itself, while
 * TypeScript (nodenext) puts it one level down. Accept either.
 */
function rootBuilder(): Builder {
  const imported = junit as unknown as Builder | { default: Builder };
  return 'newBuilder' in imported ? imported : imported.default;
}

/** The JUnit XML of several runs. */
export function junitReport(results: readonly RunResult[]): string {
  const report = rootBuilder().newBuilder();
  report.name('faultline');
  for (const result of results) {
    const suite = report
      .testSuite()
      .name(result.scenario)
      .time(result.wallMs / 1000)
      .property('seed', result.seed)
      .property('historyHash', result.historyHash)
      .property('verdict', result.verdict)
      .property('interrupted', String(result.interrupted))
      .property('reproduce', result.reproduce);
    if (result.file !== null) suite.property('file', result.file);
    for (const check of result.checks) {
      const testCase = suite.testCase().className(`faultline.${result.scenario}`).name(check.name).standardOutput(check.detail);
      if (result.file !== null) testCase.file(result.file);
      if (check.verdict === 'fail') testCase.failure(check.detail, check.kind ?? 'failure');
      else if (check.verdict === 'inconclusive') testCase.skipped();
    }
  }
  return report.build();
}
