// The browser host as a real process (`main/serve.ts`), for tests that must see whether something kills it.
import { WS_PATH } from '../../contract/channels'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams
  url: string
  origin: string
  port: number
  token: string
  /** Everything the host wrote to stderr so far. */
  stderr(): string
  alive(): boolean
  stop(): Promise<void>
}

export type ServeExit = { kind: 'exited'; code: number | null; stderr: string }

/** Starts the host; resolves with it once it printed its URL, or with how it exited before that. */
export async function startServe(
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<ServeProcess | ServeExit> {
  // Every folder the host writes to is a throwaway one (a test never writes into the user's home).
  const exportsDir = mkdtempSync(join(tmpdir(), 'zs-serve-exports-'))
  const token = env.ZEROSCOPE_TOKEN ?? randomBytes(24).toString('base64url')
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/serve.ts', '--port', '0', '--no-demo', ...args], {
    env: {
      ...process.env,
      ZEROSCOPE_EXPORTS_DIR: exportsDir,
      ZEROSCOPE_RECORDINGS_DIR: join(exportsDir, 'recordings'),
      ZEROSCOPE_WORKSPACES_DIR: join(exportsDir, 'workspaces'),
      ZEROSCOPE_JUPYTER_DIR: join(exportsDir, 'jupyter'),
      ZEROSCOPE_SETTINGS: join(exportsDir, 'settings.json'),
      ...env,
      ZEROSCOPE_TOKEN: token,
    },
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  let stdout = ''
  const printed = new Promise<string | undefined>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /ZeroScope browser host: (\S+)/.exec(stdout)
      if (match?.[1]) resolve(match[1])
    })
    child.once('exit', () => resolve(undefined))
  })
  const url = await printed
  if (!url) {
    if (child.exitCode === null) await once(child, 'exit')
    return { kind: 'exited', code: child.exitCode, stderr }
  }
  const origin = new URL(url).origin
  return {
    child,
    url,
    origin,
    port: Number(new URL(url).port),
    token,
    stderr: () => stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
    },
  }
}

export async function mustStart(env: Record<string, string> = {}, args: string[] = []): Promise<ServeProcess> {
  const started = await startServe(env, args)
  if ('kind' in started) throw new Error(`the host exited (${started.code}): ${started.stderr}`)
  return started
}

/** An authenticated client of the host that answers requests by id. */
export class HostClient {
  private nextId = 1
  private readonly pending = new Map<number, (result: { ok: boolean; value?: unknown; error?: unknown }) => void>()

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { id?: number; result?: { ok: boolean } }
      if (typeof frame.id === 'number' && frame.result) {
        this.pending.get(frame.id)?.(frame.result)
        this.pending.delete(frame.id)
      }
    })
    // A host that died must fail the waiting test with a reason, not leave it pending for ever.
    ws.on('close', (code) => {
      for (const resolve of this.pending.values())
        resolve({ ok: false, error: { code: 'CLOSED', message: `connection closed (${code})` } })
      this.pending.clear()
    })
  }

  static open(origin: string, token: string): Promise<HostClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${origin.replace('http', 'ws')}${WS_PATH}?token=${token}`, { headers: { origin } })
      ws.once('open', () => resolve(new HostClient(ws)))
      ws.once('error', reject)
    })
  }

  call(
    channel: string,
    payload: unknown,
  ): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
    const id = this.nextId++
    if (this.ws.readyState !== this.ws.OPEN)
      return Promise.resolve({ ok: false, error: { code: 'CLOSED', message: 'connection is not open' } })
    return new Promise((resolve) => {
      this.pending.set(id, resolve as never)
      this.ws.send(JSON.stringify({ id, channel, payload }))
    })
  }

  close(): void {
    this.ws.terminate()
  }
}
