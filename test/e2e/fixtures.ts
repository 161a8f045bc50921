// One fixture, two hosts: `app.page` is the ZeroScope UI served by the browser host (Debian Chromium) or the
// Electron window, depending on the project. Specs never know which.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { createInterface } from 'node:readline'
import { test as base, _electron, type Locator, type Page, type TestInfo } from '@playwright/test'
import { HERMETIC_SHELL_COMMAND } from '../helpers/hermetic-shell'
import { CHROMIUM_ARGS, chromiumExecutable, electronExecutable } from './hosts'

export type HostKind = 'browser' | 'electron'

export interface App {
  page: Page
  host: HostKind
}

/**
 * What the hosts under test get: exports, recordings, workspaces and settings in a throwaway folder (never the
 * user's home or Documents), and shells without a login profile unless a spec asks for the real one. A login
 * shell killed while its profile runs can leave the profile's locks behind (pyenv's rehash lock, seen here),
 * stalling every later login shell.
 */
function hostEnv(loginShell: boolean): NodeJS.ProcessEnv {
  const exportsDir = mkdtempSync(join(tmpdir(), 'zs-e2e-exports-'))
  return {
    ...process.env,
    ZEROSCOPE_EXPORTS_DIR: exportsDir,
    ZEROSCOPE_RECORDINGS_DIR: join(exportsDir, 'recordings'),
    ZEROSCOPE_WORKSPACES_DIR: join(exportsDir, 'workspaces'),
    ZEROSCOPE_JUPYTER_DIR: join(exportsDir, 'jupyter'),
    ZEROSCOPE_SETTINGS: join(exportsDir, 'settings.json'),
    ZEROSCOPE_SHELL: loginShell ? '' : HERMETIC_SHELL_COMMAND,
  }
}

/**
 * A browser host of its own (for specs that need one set up differently); `env` adds to `hostEnv`'s, `port` 0
 * lets the kernel pick one.
 */
export async function startServeHost(
  demo: boolean,
  loginShell: boolean,
  env: NodeJS.ProcessEnv = {},
  port = 0,
): Promise<{ url: string; child: ChildProcessWithoutNullStreams }> {
  const args = ['out/main/serve.js', '--port', String(port), ...(demo ? [] : ['--no-demo'])]
  const child = spawn(process.execPath, args, { env: { ...hostEnv(loginShell), ...env } })
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[serve] ${chunk.toString()}`))
  const lines = createInterface({ input: child.stdout })
  for await (const line of lines) {
    const match = /ZeroScope browser host: (\S+)/.exec(line)
    if (match?.[1]) return { url: match[1], child }
  }
  throw new Error('the browser host exited before printing its URL')
}

/** Stops a host from `startServeHost` and waits until it has exited (at once if it already has). */
export async function stopServeHost(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await exited
}

export const test = base.extend<{ hostKind: HostKind; demo: boolean; loginShell: boolean; app: App }>({
  hostKind: ['browser', { option: true }],
  demo: [false, { option: true }],
  loginShell: [false, { option: true }],
  app: async ({ hostKind, demo, loginShell, playwright }, use) => {
    if (hostKind === 'electron') {
      const executablePath = electronExecutable()
      if (!executablePath) throw new Error('no Electron binary; this project only runs where one exists')
      const electronApp = await _electron.launch({
        executablePath,
        args: ['out/main/index.js', ...(demo ? [] : ['--no-demo'])],
        env: hostEnv(loginShell) as Record<string, string>,
      })
      await use({ page: await electronApp.firstWindow(), host: 'electron' })
      await electronApp.close()
      return
    }
    const { url, child } = await startServeHost(demo, loginShell)
    const browser = await playwright.chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS })
    const page = await browser.newPage()
    await page.goto(url)
    await use({ page, host: 'browser' })
    await browser.close()
    await stopServeHost(child)
  },
})

export { expect } from '@playwright/test'

/**
 * A screenshot of the page (or of one part of it, to see a panel up close) in dark and in light, as test
 * artifacts (test-results/), to be looked at; with ZS_SHOTS=<absolute folder> also there, by name, to look at
 * after the run (a relative one would land in the checkout).
 */
export async function shoot(page: Page, info: TestInfo, name: string, part?: Locator): Promise<void> {
  const folder = process.env.ZS_SHOTS
  const extra = folder && isAbsolute(folder) ? folder : undefined
  if (extra) mkdirSync(extra, { recursive: true })
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme })
    const path = info.outputPath(`${name}-${colorScheme}.png`)
    await (part ? part.screenshot({ path }) : page.screenshot({ path }))
    if (extra) copyFileSync(path, join(extra, `${name}-${colorScheme}.png`))
  }
  await page.emulateMedia({ colorScheme: 'dark' })
}
