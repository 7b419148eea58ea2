// Habits in the toolchain (issue 13): typescript-eslint's recommended rules, Prettier for layout,
// and the import boundaries of the architecture (ARCHITECTURE.md: dependencies point inward).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Shared kernels every domain may use: plain TypeScript, no I/O. */
const SHARED_KERNELS = ['event-store', 'email-address', 'link-tokens'];

const CONTEXTS = [
  'clock',
  'sql',
  'event-store',
  'event-store-adapters',
  'event-processing',
  'identity',
  'invitations',
  'notifications',
  'email-address',
  'link-tokens',
  'problem-details',
  'request-context',
  'integrity',
  'personal-data',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Contexts talk through each other's index, never their internals (tests may use the testing helpers).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^@app/(${CONTEXTS.join('|')})/(?!testing/)`,
              message: 'Import a library through its index (@app/<lib>).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/*/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^@nestjs/', message: 'The domain is plain TypeScript: no Nest.' },
            {
              regex: '^\\.\\./(application|http|read-model)(/|$)',
              message: 'The domain imports nothing from application, http or read-model.',
            },
            { regex: '^(pg|better-sqlite3|@kurrent/.*|mailgun\\.js)$', message: 'The domain does no I/O.' },
            {
              regex: `^@app/(${CONTEXTS.filter((c) => !SHARED_KERNELS.includes(c)).join('|')})`,
              message: 'The domain does not reach into another context.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests look inside the contexts they test.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['apps/portal/**/*.{ts,tsx}', 'test/browser/**/*.ts', 'bench/portal.bench.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
