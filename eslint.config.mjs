// ESLint flat config: typescript-eslint's recommended rules for the TypeScript sources, with Prettier owning layout.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** The dependency rules of docs/architecture.md, as import restrictions per layer. */
const layer = (files, packages, dirs, why) => ({
  files,
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          ...(packages.length ? [{ regex: `^(${packages.join('|')})(/|$)`, message: why }] : []),
          ...(dirs.length ? [{ regex: `^(\\.\\./)+(${dirs.join('|')})(/|$)`, message: why }] : []),
        ],
      },
    ],
  },
});

export default tseslint.config(
  {
    ignores: ['dist/**', '**/cdk.out/**', 'coverage/**', 'test-artifacts/**', 'node_modules/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': 'off',
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  layer(
    ['lib/core/**/*.ts'],
    ['aws-cdk-lib', 'constructs', '@aws-sdk', 'dockerode', 'better-sqlite3'],
    ['constructs', 'local', 'provisioner', 'cli', 'testing'],
    'lib/core is pure: no CDK, SDK, Docker or other layers of ours.',
  ),
  layer(
    ['lib/constructs/**/*.ts'],
    ['@aws-sdk', 'dockerode', 'better-sqlite3'],
    ['local', 'provisioner', 'cli', 'testing'],
    'lib/constructs may import lib/core, aws-cdk-lib and constructs only.',
  ),
  layer(
    ['lib/local/**/*.ts'],
    ['aws-cdk-lib', 'constructs', '@aws-sdk'],
    ['constructs', 'provisioner', 'cli', 'testing'],
    'lib/local may import lib/core, dockerode, better-sqlite3 and Node only.',
  ),
  layer(
    ['lib/provisioner/**/*.ts'],
    ['aws-cdk-lib', 'constructs', 'dockerode', 'better-sqlite3'],
    ['constructs', 'local', 'cli', 'testing'],
    'lib/provisioner may import lib/core and the AWS SDK only.',
  ),
  layer(['lib/testing/**/*.ts'], [], ['provisioner', 'cli'], 'lib/testing must not import the provisioner or the CLI.'),
  layer(['lib/cli/**/*.ts'], [], ['constructs'], 'lib/cli reaches constructs only through the public entry points.'),
  {
    files: ['examples/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+lib/[a-z-]+/.+',
              message:
                'examples import the public entry points (lib, lib/core, lib/local, lib/testing...), as a user would.',
            },
          ],
        },
      ],
    },
  },
);
