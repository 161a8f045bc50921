// One fixture, two hosts: `app.page` is the ZeroScope UI served by the browser host (Debian Chromium) or the
// Electron window, depending on the project. Specs never know which.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test as base, _electron, type Page, type TestInfo } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumExecutable, electronExecutable } from './hosts'

export type HostKind = 'browser' | 'electron'

export interface App {
  page: Page
  host: HostKind
}

async function startServeHost(demo: boolean): Promise<{ url: string; child: ChildProcessWithoutNullStreams }> {
  const args = ['out/main/serve.js', '--port', '0', ...(demo ? [] : ['--no-demo'])]
  // Exports from the UI go to a throwaway folder, not the user's home.
  const exportsDir = mkdtempSync(join(tmpdir(), 'zs-e2e-exports-'))
  const child = spawn(process.execPath, args, { env: { ...process.env, ZEROSCOPE_EXPORTS_DIR: exportsDir } })
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[serve] ${chunk.toString()}`))
  const lines = createInterface({ input: child.stdout })
  for await (const line of lines) {
    const match = /ZeroScope browser host: (\S+)/.exec(line)
    if (match?.[1]) return { url: match[1], child }
  }
  throw new Error('the browser host exited before printing its URL')
}

export const test = base.extend<{ hostKind: HostKind; demo: boolean; app: App }>({
  hostKind: ['browser', { option: true }],
  demo: [false, { option: true }],
  app: async ({ hostKind, demo, playwright }, use) => {
    if (hostKind === 'electron') {
      const executablePath = electronExecutable()
      if (!executablePath) throw new Error('no Electron binary; this project only runs where one exists')
      const electronApp = await _electron.launch({
        executablePath,
        args: ['out/main/index.js', ...(demo ? [] : ['--no-demo'])],
      })
      await use({ page: await electronApp.firstWindow(), host: 'electron' })
      await electronApp.close()
      return
    }
    const { url, child } = await startServeHost(demo)
    const browser = await playwright.chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS })
    const page = await browser.newPage()
    await page.goto(url)
    await use({ page, host: 'browser' })
    await browser.close()
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    await exited
  },
})

export { expect } from '@playwright/test'

/** A screenshot of the page in dark and in light, as test artifacts (test-results/), to be looked at. */
export async function shoot(page: Page, info: TestInfo, name: string): Promise<void> {
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme })
    await page.screenshot({ path: info.outputPath(`${name}-${colorScheme}.png`) })
  }
}
