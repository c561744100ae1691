// ESLint flat config. The determinism rule (DESIGN.md section 2) lives here:
// src/core and src/sim must never reach for wall time, ambient randomness or I/O,
// because one stray Date.now() breaks same-seed-same-history replay.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const forbiddenModules = ['ws', 'ink', 'react', 'react/jsx-runtime', 'ink-testing-library', 'yargs', 'zustand', 'yaml'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/sim/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'core/sim are deterministic: use ctx.now()' },
        { name: 'process', message: 'core/sim do no I/O' },
        { name: 'setTimeout', message: 'core/sim use ctx.setTimer' },
        { name: 'setInterval', message: 'core/sim use ctx.setTimer' },
        { name: 'setImmediate', message: 'core/sim use ctx.setTimer' },
        { name: 'queueMicrotask', message: 'core/sim are synchronous' },
        { name: 'performance', message: 'core/sim are deterministic' },
        { name: 'crypto', message: 'core/sim use the seeded PRNG' },
        { name: 'require', message: 'core/sim import nothing dynamic' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'core/sim use the seeded stream: ctx.random()' },
        { object: 'globalThis', property: 'process', message: 'core/sim do no I/O' },
        { object: 'globalThis', property: 'Date', message: 'core/sim are deterministic' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: forbiddenModules.map((name) => ({ name, message: 'core/sim do no I/O and draw nothing' })),
          patterns: [
            { group: ['node:*'], message: 'core/sim do no I/O' },
            { group: ['fs', 'fs/*', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'timers', 'timers/*', 'worker_threads'], message: 'core/sim do no I/O' },
            { group: ['**/live/**', '**/tui/**', '**/cli/**', '**/chaos/**'], message: 'layers import downwards only' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: forbiddenModules.map((name) => ({ name, message: 'core does no I/O' })),
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'timers', 'worker_threads'], message: 'core does no I/O' },
            { group: ['**/sim/**', '**/schedulers/**', '**/live/**', '**/tui/**', '**/cli/**', '**/chaos/**'], message: 'core imports nothing of the project' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/tui/**/*.ts', 'src/tui/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/sim/**', '**/live/**', '**/chaos/**', '**/cli/**', 'ws'], message: 'the TUI reads its store only (core types are fine)' }] },
      ],
    },
  },
);
