// The built browser host as the UI benches start it: a fresh process per part (so its RSS is its own), its URL
// read from what it prints, and Debian Chromium on it when the part drives the page.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { chromium, type Browser, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumExecutable } from '../test/e2e/hosts'

/** Starts `out/main/serve.js` (no demo, no shell) with `env` added; resolves with its token URL. */
export async function startServe(env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['out/main/serve.js', '--port', '0', '--no-demo', '--no-shell'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  })
  let url = ''
  for await (const line of createInterface({ input: child.stdout! })) {
    url = /ZeroScope browser host: (\S+)/.exec(line)?.[1] ?? ''
    if (url) break
  }
  if (!url) throw new Error('the browser host exited before printing its URL')
  return { child, url }
}

/** Chromium on `url`, once the app's socket form is there. */
export async function openPage(url: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS })
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  // tsx (esbuild keepNames) wraps named functions in page.evaluate callbacks with a `__name` helper that only
  // exists in Node; give the page a no-op one.
  await page.addInitScript('globalThis.__name = (fn) => fn')
  await page.goto(url)
  await page.getByRole('button', { name: 'Create socket' }).waitFor()
  return { browser, page }
}

/** Ends the host process and waits for it to exit. */
export async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await exited
}
