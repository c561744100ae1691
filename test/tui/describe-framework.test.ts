import { test } from 'node:test';
import assert from 'node:assert/strict';
import { project } from '../../src/core/projection.js';
import { describePane } from '../../src/tui/describe.js';
import type { UiState } from '../../src/tui/ui-state.js';
import { story } from '../core/projection/story.js';

/** The framework pane of a cluster, as `enter` on the frameworks view shows it. */
function frameworkPane(records: ReturnType<typeof story>['records'], frameworkId: string): readonly string[] {
  // The framework pane reads nothing of the UI state but the snapshot.
  return describePane({ cluster: project(records) } as UiState, 'frameworks', frameworkId).lines;
}

test('the framework pane shows when and why the master disconnected the framework, until it resubscribes (issue 10, divergence 10)', () => {
  const s = story().start().subscribe('web');
  const frameworkId = s.frameworkId('web');
  assert.equal(frameworkPane(s.records, frameworkId).filter((l) => l.startsWith('disconnected')).length, 0, 'not while connected');
  s.at(61_250).emit({ type: 'framework.disconnected', frameworkId, reason: 'subscription stream closed', epoch: 1 });
  const lines = frameworkPane(s.records, frameworkId);
  assert.ok(lines.some((l) => l.startsWith('state') && l.includes('disconnected')));
  const line = lines.find((l) => l.startsWith('disconnected'));
  assert.ok(line, lines.join('\n'));
  assert.match(line, /^disconnected +01:01: subscription stream closed$/);
  s.at(70_000).emit({ type: 'framework.resubscribed', frameworkId, name: 'web', node: 'scheduler-web', epoch: 1 });
  assert.equal(frameworkPane(s.records, frameworkId).filter((l) => l.startsWith('disconnected')).length, 0, 'cleared on resubscribe');
});
