// Conventions that check themselves, checked: every layer rule of eslint.config.js and .dependency-cruiser.cjs
// fires on a probe that breaks it and keeps quiet about the allowed form, so a rule weakened by accident (a glob
// that no longer matches, a block that overrides another) fails here rather than letting imports through.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, describe, it } from 'node:test'
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser'
import { ESLint } from 'eslint'

const eslint = new ESLint()

/** The import-rule messages eslint gives `code` as if it were the file at `filePath` (which need not exist). */
async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.filter((m) => m.ruleId?.endsWith('no-restricted-imports')).map((m) => m.message)
}

const svelte = (imports: string) => `<script lang="ts">\n  ${imports}\n</script>\n`

/** [file, code, undefined when allowed or a pattern the refusal must match]. */
const CASES: [string, string, RegExp | undefined][] = [
  // Electron: its runtime in index.ts and menu.ts only, its types in the modules index.ts hands its objects to.
  ['main/index.ts', "import { app } from 'electron'", undefined],
  ['main/menu.ts', "import { Menu } from 'electron'", undefined],
  ['main/host/electron-ipc.ts', "import type { IpcMain } from 'electron'", undefined],
  ['main/host/electron-ipc.ts', "import { ipcMain } from 'electron'", /types only/],
  ['main/host/permissions.ts', "import { session } from 'electron'", /types only/],
  ['main/host/dispatch.ts', "import type { App } from 'electron'", /Electron lives in main\/index\.ts/],
  ['main/serve.ts', "import { app } from 'electron'", /Electron lives in main\/index\.ts/],
  ['main/engine/probe.ts', "import { app } from 'electron'", /Electron lives in main\/index\.ts/],
  ['main/terminal/probe.ts', "import type { App } from 'electron'", /Electron lives in main\/index\.ts/],
  // The engine and the terminals serve nobody and never reach for a host.
  ['main/engine/probe.ts', "import { WebSocketServer } from 'ws'", /serves nobody/],
  ['main/engine/probe.ts', "import { createServer } from 'node:http'", /serves nobody/],
  ['main/engine/probe.ts', "import { createServer } from 'http'", /serves nobody/],
  ['main/engine/probe.ts', "import { request } from 'node:https'", /serves nobody/],
  ['main/engine/probe.ts', "import { dispatch } from '../host/dispatch'", /hosts import the engine/],
  ['main/engine/probe.ts', "import '../index'", /hosts import the engine/],
  ['main/engine/probe.ts', "import '../serve'", /hosts import the engine/],
  ['main/terminal/probe.ts', "import type { Services } from '../host/services'", /hosts import the engine/],
  [
    'main/engine/probe.ts',
    "import { preview } from './codec'\nimport type { Turn } from '../../contract/views'",
    undefined,
  ],
  ['main/host/probe.ts', "import { createServer } from 'node:http'\nimport { WebSocketServer } from 'ws'", undefined],
  // Components are presentational: no API, no stores or actions; types of state are fine.
  ['renderer/components/Probe.svelte', svelte("import { api } from '../lib/api'"), /components do not call the host/],
  ['renderer/components/Probe.svelte', svelte("import '../lib/ws-bridge'"), /components do not call the host/],
  ['renderer/components/sub/Probe.svelte', svelte("import { api } from '../../lib/api'"), /do not call the host/],
  ['renderer/components/Probe.svelte', svelte("import { sockets } from '../state/sockets.svelte'"), /state's types/],
  ['renderer/components/Probe.svelte', svelte("import type { Rate } from '../state/sockets.svelte'"), undefined],
  ['renderer/components/Probe.svelte', svelte("import { formatBytes } from '../lib/format'"), undefined],
  // ... and keep the renderer's own rules.
  ['renderer/components/Probe.svelte', svelte("import { readFileSync } from 'node:fs'"), /sandboxed page/],
  ['renderer/components/Probe.svelte', svelte("import { z } from 'zod'"), /sandboxed page/],
  ['renderer/lib/probe.ts', "import { readFileSync } from 'node:fs'", /sandboxed page/],
  ['renderer/state/probe.svelte.ts', "import { api } from '../lib/api'", undefined],
  ['renderer/lib/probe.ts', "import { Engine } from '../../main/engine/engine'", /never enters the renderer bundle/],
  // The contract is the ground floor.
  ['contract/probe.ts', "import { readFileSync } from 'node:fs'", /no Node, Electron or native modules/],
  ['contract/probe.ts', "import { Engine } from '../main/engine/engine'", /ground floor/],
  ['contract/probe.ts', "import { failure } from './views'", undefined],
]

describe('eslint layer rules', () => {
  for (const [file, code, refusal] of CASES) {
    const imports = code
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('import'))
      .join('; ')
    it(`${file}: ${imports} is ${refusal ? 'refused' : 'allowed'}`, async () => {
      const errors = await importErrors(file, code)
      if (refusal === undefined) assert.deepEqual(errors, [])
      else {
        assert.equal(errors.length, 1, JSON.stringify(errors))
        assert.match(errors[0]!, refusal)
      }
    })
  }
})

describe('import graph (dependency-cruiser)', () => {
  const require = createRequire(import.meta.url)
  const config = require('../../.dependency-cruiser.cjs') as IConfiguration
  const roots: string[] = []
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })))

  /** Cruises a tree of `files` with the project's rules; resolves with "rule: from -> to" per violation. */
  async function violations(files: Record<string, string>): Promise<string[]> {
    const root = mkdtempSync(join(tmpdir(), 'zs-layers-'))
    roots.push(root)
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true })
      writeFileSync(join(root, path), text)
    }
    const dirs = [...new Set(Object.keys(files).map((path) => path.split('/')[0]!))]
    const { output } = await cruise(dirs, {
      ...config.options,
      cache: false,
      baseDir: root,
      ruleSet: { forbidden: config.forbidden },
      validate: true,
    })
    return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort()
  }

  it('an allowed tree has no violations', async () => {
    assert.deepEqual(
      await violations({
        'contract/views.ts': 'export type Turn = "send"\n',
        'main/engine/engine.ts': "import type { Turn } from '../../contract/views'\nexport const t: Turn = 'send'\n",
        'main/host/dispatch.ts': "import { t } from '../engine/engine'\nexport const d = t\n",
        'main/index.ts': "import { d } from './host/dispatch'\nvoid d\n",
        'preload/index.ts': "import type { Turn } from '../contract/views'\nexport type T = Turn\n",
        'renderer/state/s.svelte.ts': "import type { Turn } from '../../contract/views'\nexport type S = Turn\n",
        'renderer/components/C.svelte': svelte("import type { S } from '../state/s.svelte'\n  let s: S | undefined"),
      }),
      [],
    )
  })

  it('cycles and upward imports fail, .svelte files and type-only imports included', async () => {
    assert.deepEqual(
      await violations({
        'contract/views.ts': "import type { E } from '../main/engine/engine'\nexport type V = E\n",
        'main/engine/engine.ts': "import { d } from '../host/dispatch'\nexport type E = string\nexport const e = d\n",
        'main/host/dispatch.ts': "import type { E } from '../engine/engine'\nexport const d: E = ''\n",
        'main/terminal/terminal.ts': "import '../index'\n",
        'main/index.ts': "import type { F } from '../renderer/lib/f'\nexport type I = F\n",
        'preload/index.ts': "import '../renderer/lib/f'\n",
        'renderer/lib/f.ts': 'export type F = number\n',
        'renderer/components/C.svelte': svelte("import { e } from '../../main/engine/engine'\n  void e"),
      }),
      [
        'contract-is-the-ground-floor: contract/views.ts -> main/engine/engine.ts',
        'engine-never-sees-the-hosts: main/engine/engine.ts -> main/host/dispatch.ts',
        'engine-never-sees-the-hosts: main/terminal/terminal.ts -> main/index.ts',
        'main-never-enters-the-renderer-bundle: renderer/components/C.svelte -> main/engine/engine.ts',
        // One report per cycle; its way back (dispatch -> engine) is a type-only import.
        'no-circular: main/engine/engine.ts -> main/host/dispatch.ts',
        'preload-is-only-the-bridge: preload/index.ts -> renderer/lib/f.ts',
        'renderer-never-enters-main: main/index.ts -> renderer/lib/f.ts',
      ],
    )
  })
})
