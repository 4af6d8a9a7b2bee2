import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const prismaOnlyInRepositories = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['@prisma/client', '@prisma/client/*', '**/generated/prisma/*', '**/generated/prisma'], message: 'Prisma is used only in *.repository.ts files and src/infra/prisma.' },
        { group: ['**/infra/prisma/prisma.service.js', '**/infra/prisma/prisma.service'], message: 'PrismaService is used only in *.repository.ts files and src/infra/prisma.' },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/generated/**', 'agent-client/dist/**', 'agent-client/node_modules/**', 'coverage/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { sourceType: 'module' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration through src/config only.' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.repository.ts', 'src/infra/prisma/**', 'src/**/*.spec.ts'],
    rules: prismaOnlyInRepositories,
  },
  {
    files: ['src/config/**', 'test/**', 'bench/**', 'src/**/*.spec.ts', 'src/infra/prisma/migrate/**', 'scripts/**', 'agent-client/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  { files: ['test/**', 'src/**/*.spec.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
