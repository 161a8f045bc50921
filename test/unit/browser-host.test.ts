// The browser host refuses anything without the token, from a foreign Origin, or for a foreign Host, and
// answers malformed frames with structured errors.
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { WebSocket } from 'ws'
import { startBrowserHost, type RunningHost } from '../../main/host/browser-host'
import { Channel, WS_PATH } from '../../contract/channels'
import { HostClient } from '../helpers/serve-process'

let host: RunningHost
let origin: string
const root = mkdtempSync(join(tmpdir(), 'zs-renderer-'))
writeFileSync(join(root, 'index.html'), '<!doctype html><title>ZeroScope</title>')

beforeEach(async () => {
  host = await startBrowserHost({ host: '127.0.0.1', port: 0, rendererRoot: root })
  origin = new URL(host.url).origin
})
afterEach(() => host.close())

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { headers }, (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0, headers: res.headers })
    })
    req.on('error', reject)
    req.end()
  })
}

type Opened = { kind: 'open'; ws: WebSocket } | { kind: 'refused'; status: number }

function openSocket(query: string, headers: Record<string, string>): Promise<Opened> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}${WS_PATH}${query}`, { headers })
    ws.on('open', () => resolve({ kind: 'open', ws }))
    ws.on('unexpected-response', (_req, res) => resolve({ kind: 'refused', status: res.statusCode ?? 0 }))
    ws.on('error', () => {})
  })
}

function call(
  ws: WebSocket,
  frame: unknown,
): Promise<{ id: unknown; result: { ok: boolean; error?: { code: string } } }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const parsed = JSON.parse(data.toString()) as { id?: unknown; result?: { ok: boolean } }
      if (!('result' in parsed)) return
      ws.off('message', onMessage)
      resolve(parsed as never)
    }
    ws.on('message', onMessage)
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  })
}

describe('browser host access', () => {
  it('serves the page only with the token, and sets a strict CSP', async () => {
    assert.equal((await get('/')).status, 401)
    assert.equal((await get('/?token=wrong')).status, 401)
    const ok = await get(`/?token=${host.token}`)
    assert.equal(ok.status, 200)
    assert.match(String(ok.headers['content-security-policy']), /script-src 'self'/)
    assert.doesNotMatch(String(ok.headers['content-security-policy']), /unsafe-eval/)
    // Named per port: another ZeroScope on this machine cannot overwrite it, and a stale one cannot match.
    const port = new URL(host.url).port
    assert.equal(
      String(ok.headers['set-cookie']),
      `zeroscope_token_${port}=${host.token}; HttpOnly; SameSite=Strict; Path=/`,
    )
    assert.equal((await get('/', { cookie: `zeroscope_token_${port}=${host.token}` })).status, 200)
    assert.equal((await get('/', { cookie: `zeroscope_token=${host.token}` })).status, 401)
    assert.equal((await get('/', { cookie: `zeroscope_token_1${port}=${host.token}` })).status, 401)
  })

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    assert.equal((await get(`/?token=${host.token}`, { host: 'evil.example:80' })).status, 403)
    assert.equal((await get(`/?token=${host.token}`, { origin: 'http://evil.example' })).status, 403)
  })

  it('the WebSocket needs the token and our own Origin', async () => {
    const noToken = await openSocket('', { origin })
    assert.deepEqual(noToken, { kind: 'refused', status: 401 })
    const wrongToken = await openSocket('?token=nope', { origin })
    assert.deepEqual(wrongToken, { kind: 'refused', status: 401 })
    const foreign = await openSocket(`?token=${host.token}`, { origin: 'http://evil.example' })
    assert.deepEqual(foreign, { kind: 'refused', status: 403 })
    const noOrigin = await openSocket(`?token=${host.token}`, {})
    assert.deepEqual(noOrigin, { kind: 'refused', status: 403 })
  })

  it('answers requests and malformed frames over the WebSocket', async () => {
    const opened = await openSocket(`?token=${host.token}`, { origin })
    assert.equal(opened.kind, 'open')
    if (opened.kind !== 'open') return
    const info = await call(opened.ws, { id: 1, channel: Channel.engineInfo, payload: {} })
    assert.deepEqual([info.id, info.result.ok], [1, true])
    const garbage = await call(opened.ws, '{not json')
    assert.equal(garbage.result.error?.code, 'INVALID_REQUEST')
    const unknown = await call(opened.ws, { id: 2, channel: 'shell:exec', payload: {} })
    assert.equal(unknown.result.error?.code, 'UNKNOWN_CHANNEL')
    const bad = await call(opened.ws, { id: 3, channel: Channel.socketCreate, payload: { type: 'nope' } })
    assert.equal(bad.result.error?.code, 'INVALID_REQUEST')
    opened.ws.close()
  })

  it('too many wrong tokens from one address are refused for a while; the right token still passes', async () => {
    const limited = await startBrowserHost({
      host: '127.0.0.1',
      port: 0,
      rendererRoot: root,
      rateLimit: { maxFailures: 5, windowMs: 60_000 },
    })
    const limitedOrigin = new URL(limited.url).origin
    const status = (path: string) =>
      new Promise<number>((resolve) =>
        request(`${limitedOrigin}${path}`, (res) => (res.resume(), resolve(res.statusCode ?? 0))).end(),
      )
    try {
      for (let i = 0; i < 5; i++) assert.equal(await status(`/?token=guess${i}`), 401)
      assert.equal(await status(`/?token=guess-again`), 429)
      assert.equal(await status(`/?token=${limited.token}`), 200)
      assert.equal(await status(`/?token=guess-after`), 429)
    } finally {
      await limited.close()
    }
  })

  it('a host started with --no-shell refuses terminal:open, and says why', async () => {
    const locked = await startBrowserHost({
      host: '127.0.0.1',
      port: 0,
      rendererRoot: root,
      shell: { kind: 'disabled', reason: 'shell terminals are disabled on this host (--no-shell)' },
    })
    try {
      const client = await HostClient.open(new URL(locked.url).origin, locked.token)
      const info = await client.call(Channel.engineInfo, {})
      assert.equal((info.value as { shell: { kind: string } }).shell.kind, 'disabled')
      const refused = await client.call(Channel.terminalOpen, { cols: 80, rows: 24 })
      assert.equal(refused.error?.code, 'NOT_ALLOWED')
      client.close()
    } finally {
      await locked.close()
    }
  })
})

describe('npm run serve', () => {
  it('listens on loopback by default and warns loudly when told to listen elsewhere', async () => {
    const run = async (args: string[]): Promise<{ stdout: string; stderr: string }> => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'main/serve.ts', '--port', '0', '--no-demo', ...args])
      let stdout = ''
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString()
          if (stdout.includes('ZeroScope browser host:')) resolve()
        }),
      )
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
      return { stdout, stderr }
    }
    const local = await run([])
    assert.match(local.stdout, /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}/)
    assert.equal(local.stderr, '')
    const exposed = await run(['--host', '0.0.0.0'])
    assert.match(exposed.stderr, /WARNING: listening on 0\.0\.0\.0, not loopback/)
  })
})
