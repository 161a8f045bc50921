import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import { builtinModules } from 'node:module'
import tseslint from 'typescript-eslint'
import svelteConfig from './svelte.config.js'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]
const withNodePrefix = (names) => names.flatMap((name) => [name, `node:${name}`])

/** What nothing in the renderer imports; components get these plus the rule that keeps them presentational. */
const rendererPaths = [...nodeBuiltins, 'electron', 'zeromq', 'node-pty', 'ws', 'zod'].map((name) => ({
  name,
  message: 'the renderer runs in a sandboxed page: talk to the engine through lib/api.ts',
}))
const rendererPatterns = [
  { group: ['**/main/**', '../../main/*'], message: 'main-process code never enters the renderer bundle' },
  {
    group: ['**/contract/schemas', '**/preload/index'],
    allowTypeImports: true,
    message: 'type-only imports from the contract',
  },
]

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
  // Layer rules: Electron stays in the Electron host; the engine (and the terminals beside it) never sees a host;
  // the renderer sees neither Node nor main-process code, and takes only types from the contract (its schemas
  // and zod stay in the main bundle). Folder-to-folder direction and cycles: .dependency-cruiser.cjs.
  {
    // Electron's runtime is imported by the app's lifecycle and its menu only; the preload is outside main/.
    files: ['main/**/*.ts'],
    ignores: [
      'main/index.ts',
      'main/menu.ts',
      'main/file-dialogs.ts',
      'main/host/electron-ipc.ts',
      'main/host/permissions.ts',
      'main/window-security.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Electron lives in main/index.ts, menu.ts and file-dialogs.ts; the rest of main runs under both hosts',
            },
          ],
        },
      ],
    },
  },
  {
    // These take Electron's objects from index.ts as parameters: they name its types, never load it.
    files: ['main/host/electron-ipc.ts', 'main/host/permissions.ts', 'main/window-security.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              allowTypeImports: true,
              message: 'types only: index.ts passes in the Electron objects, so this module stays loadable in tests',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/engine/**/*.ts', 'main/terminal/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['ws', ...withNodePrefix(['http', 'https', 'http2'])].map((name) => ({
            name,
            message: 'main/engine serves nobody: the hosts own the network (browser-host.ts) and inject an EventSink',
          })),
          patterns: [
            {
              group: ['**/host', '**/host/**', '../index', '../serve', '../menu', '../window-security'],
              message: 'the hosts import the engine, never the reverse: take what you need as a parameter',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: rendererPaths, patterns: rendererPatterns }],
    },
  },
  // Components are presentational: props in, callbacks out. Only App.svelte and state/ reach the API and the
  // stores, so a component renders the same in a test or a story as in the app. (This block replaces the one
  // above for components, hence the renderer's own restrictions again.)
  {
    files: ['renderer/components/**/*.svelte', 'renderer/components/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: rendererPaths,
          patterns: [
            ...rendererPatterns,
            {
              group: ['**/lib/api', '**/lib/ws-bridge'],
              message: 'components do not call the host: take the data as props and report intents by callback',
            },
            {
              group: ['**/state/**'],
              allowTypeImports: true,
              message: "components take state's types, not its stores or actions: App.svelte passes them in",
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
