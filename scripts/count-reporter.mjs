// node:test reporter that counts passed and failed tests (not suites) and writes
// them as JSON to the file named by FAULTLINE_TEST_COUNTS, for scripts/test.mjs.
import { writeFileSync } from 'node:fs';

export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') {
      // A suite that failed outside its tests (a hook, a load error) still counts once.
      if (event.type === 'test:fail' && event.data.details?.error?.failureType !== 'subtestsFailed') failed += 1;
      continue;
    }
    if (event.data.skip || event.data.todo) skipped += 1;
    else if (event.type === 'test:pass') passed += 1;
    else failed += 1;
  }
  const file = process.env.FAULTLINE_TEST_COUNTS;
  if (file) writeFileSync(file, JSON.stringify({ passed, failed, skipped }));
  yield '';
}
