import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {ignores: ['node_modules/', 'dist/', 'artifacts/', 'data/', 'coverage/', '**/*.cjs', 'storefront-widget/dist/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {parserOptions: {ecmaVersion: 2022, sourceType: 'module'}},
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Maintenance scripts run with plain Node.
    files: ['scripts/**/*.mjs'],
    languageOptions: {globals: {URL: 'readonly', console: 'readonly', process: 'readonly'}},
    rules: {'no-console': 'off'},
  },
  {
    // CLIs, benchmarks and standalone launchers talk to a terminal on purpose.
    files: ['bench/**', '**/cli/**', 'sandbox/**/main.ts'],
    rules: {'no-console': 'off'},
  },
);
