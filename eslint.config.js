import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import { builtinModules } from 'node:module'
import tseslint from 'typescript-eslint'
import svelteConfig from './svelte.config.js'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

export default defineConfig(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  svelte.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  // Layer rules: the engine never sees Electron; the renderer sees neither Node nor main-process code, and
  // takes only types from the contract (its schemas and zod stay in the main bundle).
  {
    files: ['main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'main/engine is host-agnostic: hosts inject an EventSink instead' }] },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'electron', 'zeromq', 'node-pty', 'ws', 'zod'].map((name) => ({
            name,
            message: 'the renderer runs in a sandboxed page: talk to the engine through lib/api.ts',
          })),
          patterns: [
            { group: ['**/main/**', '../../main/*'], message: 'main-process code never enters the renderer bundle' },
            {
              group: ['**/contract/schemas', '**/preload/index'],
              allowTypeImports: true,
              message: 'type-only imports from the contract',
            },
          ],
        },
      ],
    },
  },
  // The contract is the ground floor: shared by main and renderer, it imports neither, nor Node or Electron.
  {
    files: ['contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'electron', 'zeromq', 'node-pty', 'ws'].map((name) => ({
            name,
            message: 'contract/ is shared by every bundle: no Node, Electron or native modules',
          })),
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'contract/ is the ground floor: it imports nothing from main, renderer or preload',
            },
          ],
        },
      ],
    },
  },
)
