// The built browser host as the UI benches start it: a fresh process per part (so its RSS is its own), its URL
// read from what it prints, and Debian Chromium on it when the part drives the page.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { chromium, type Browser, type Page } from '@playwright/test'
import { WebSocket } from 'ws'
import { WS_PATH } from '../contract/channels'
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

interface Answer {
  ok: boolean
  value?: unknown
  error?: { code: string; message: string }
}

/** A contract client over the host's WebSocket, beside (or instead of) the page: what a bench sets up by hand. */
export class HostLink {
  private nextId = 1
  private readonly pending = new Map<number, (answer: Answer) => void>()

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { id?: number; result?: Answer }
      if (typeof frame.id !== 'number' || !frame.result) return
      this.pending.get(frame.id)?.(frame.result)
      this.pending.delete(frame.id)
    })
    ws.on('close', () => {
      for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'CLOSED', message: 'closed' } })
      this.pending.clear()
    })
  }

  static async connect(url: string): Promise<HostLink> {
    const { origin, searchParams } = new URL(url)
    const ws = new WebSocket(`${origin.replace('http', 'ws')}${WS_PATH}?token=${searchParams.get('token')}`, {
      headers: { origin },
    })
    await once(ws, 'open')
    return new HostLink(ws)
  }

  /** One request; the answer's value and the ms it took, or an error naming the channel and the host's reason. */
  async timed<T>(channel: string, payload: unknown): Promise<{ value: T; ms: number }> {
    const id = this.nextId++
    const started = performance.now()
    const answer = await new Promise<Answer>((resolve) => {
      this.pending.set(id, resolve)
      this.ws.send(JSON.stringify({ id, channel, payload }))
    })
    const ms = performance.now() - started
    if (!answer.ok) throw new Error(`${channel}: ${answer.error?.code} ${answer.error?.message}`)
    return { value: answer.value as T, ms }
  }

  async call<T>(channel: string, payload: unknown): Promise<T> {
    return (await this.timed<T>(channel, payload)).value
  }

  close(): void {
    this.ws.terminate()
  }
}
