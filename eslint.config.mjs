// `npm run lint`: recommended JavaScript and type-aware TypeScript rules. Formatting is not linted.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'sdk/src/schema.ts', 'coverage/', 'src/generated/', 'node_modules/', '.data/', 'bench/results/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Nest modules and DTOs are classes with decorators and no members of their own.
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    // A child logger's bindings get only pino's fixed redact paths, not the nested secret keys
    // (src/common/logging/log-redaction.ts, docs/security.md section 5): log objects on the line.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(child|runInContext)$/], CallExpression[callee.property.name='assign'][callee.object.name!='Object']",
          message: 'Bind nothing to a logger: child bindings are not redacted for nested secrets. Log the object on the line instead (docs/security.md, section 5).',
        },
      ],
    },
  },
  {
    // The admin console: the same type-aware rules, in the browser (its own console/tsconfig.json).
    files: ['console/**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { globals: { ...globals.browser }, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Event handlers that start a request and let it report its own outcome.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      // Tests read untyped JSON answers and mock-free fixtures freely.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The SDK and the journey that proves it: its types must carry every call, so no casts and no `!`.
    files: ['sdk/src/**/*.ts', 'test/sdk/**/*.ts', 'test/e2e/sdk-journey.e2e.spec.ts'],
    rules: {
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  { files: ['**/*.mjs'], languageOptions: { globals: { ...globals.node } } },
);
