// Browser host: the engine behind a token-gated HTTP + WebSocket server. Requests are {id, channel, payload}
// frames answered with {id, result}; engine events are pushed as {event}. Nothing a client sends, however
// malformed, may take the process down: every connection has its error handler and every request its guard.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { MAX_WS_PAYLOAD_BYTES } from '../../contract/limits'
import { WS_PATH, type WsRequestFrame, type WsServerFrame } from '../../contract/channels'
import { failure, type ShellPolicy } from '../../contract/views'
import type { ShellLaunch } from '../terminal/terminal'
import { checkAccess, checkTokenStrength, newToken, tokenCookieName, type AccessPolicy } from './access'
import { ClientDelivery, DEFAULT_SLOW_CLIENT_BYTES } from './client-delivery'
import { dispatch } from './dispatch'
import { FailureLimiter, type RateLimitOptions } from './rate-limit'
import { createServices, type Services } from './services'
import { serveDownload } from './folder-download'
import { serveStatic } from './static-files'

export interface BrowserHostOptions {
  host: string
  port: number
  rendererRoot: string
  token?: string
  shell?: ShellPolicy
  /** What a shell tab starts (default: the user's login shell). */
  shellLaunch?: ShellLaunch
  rateLimit?: RateLimitOptions
  exportsDir?: string
  /** The recordings folder: the only place this host records to, lists and serves downloads from. */
  recordingsDir?: string
  workspacesDir?: string
  jupyterDir?: string
  settingsPath?: string
  /** A client that has not drained this many bytes gets batches without rows (counted as not streamed). */
  slowClientBytes?: number
}

export interface RunningHost {
  url: string
  token: string
  services: Services
  close(): Promise<void>
}

const STATUS_TEXT = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests' } as const

/** A token the user chose that is too weak to guard the engine; the host refuses to start with it. */
export class WeakTokenError extends Error {}

/** A request that failed inside the host: reported on stderr, answered, and the host goes on. */
function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

function refuse(response: ServerResponse, status: number, reason: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
  response.end(`ZeroScope refused this request: ${reason}. Open the URL printed by "npm run serve".\n`)
}

/** The request URL, or undefined for one no URL parser accepts (answered 400, never thrown). */
function requestUrl(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', 'http://placeholder')
  } catch {
    return undefined
  }
}

function refuseUpgrade(socket: Socket, status: keyof typeof STATUS_TEXT): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nconnection: close\r\n\r\n`)
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<RunningHost> {
  if (options.token !== undefined) {
    const strength = checkTokenStrength(options.token)
    if (strength.kind === 'weak') throw new WeakTokenError(`refusing to start: ${strength.reason}`)
  }
  const token = options.token ?? newToken()
  const delivery = new ClientDelivery(options.slowClientBytes ?? DEFAULT_SLOW_CLIENT_BYTES)
  const services = createServices(
    delivery,
    {
      host: 'browser',
      ...(options.exportsDir ? { exportsDir: options.exportsDir } : {}),
      ...(options.recordingsDir ? { recordingsDir: options.recordingsDir } : {}),
      ...(options.workspacesDir ? { workspacesDir: options.workspacesDir } : {}),
      ...(options.jupyterDir ? { jupyterDir: options.jupyterDir } : {}),
      ...(options.settingsPath ? { settingsPath: options.settingsPath } : {}),
    },
    options.shell,
    options.shellLaunch,
  )
  const allowedHosts = new Set<string>()
  // The cookie name needs the port, known only once listening; requests cannot arrive before that.
  const policy: AccessPolicy = { token, cookieName: '', allowedHosts, limiter: new FailureLimiter(options.rateLimit) }
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD_BYTES })

  const server: Server = createServer((request, response) => {
    // A throw here would be an uncaught exception in the http server's 'request' emit: answer 500 instead.
    void handleRequest(request, response).catch((error: unknown) => {
      log(`browser host: request ${String(request.url).slice(0, 200)} failed: ${String(error)}`)
      if (!response.headersSent) refuse(response, 500, 'internal error')
      else response.destroy()
    })
  })

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = requestUrl(request)
    if (!url) return refuse(response, 400, 'the request path is not a valid URL')
    const verdict = checkAccess(request, url, policy, false)
    if (verdict.kind === 'refused') return refuse(response, verdict.status, verdict.reason)
    if (url.searchParams.has('token')) {
      // The cookie lets the page's own asset requests through without repeating the token.
      response.setHeader('set-cookie', `${policy.cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`)
    }
    const folders = { recordings: services.engine.recordings.folder, workspaces: services.engine.workspaces.folder }
    if (await serveDownload(folders, url.pathname, response)) return
    await serveStatic(options.rendererRoot, url.pathname, response)
  }

  // Malformed HTTP (bad request lines, oversized headers) must end that connection, not the process.
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n')
    else socket.destroy()
  })

  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    // Until ws takes the socket over, a reset from the client would otherwise be an unhandled 'error'.
    socket.on('error', () => socket.destroy())
    const url = requestUrl(request)
    if (!url) return refuseUpgrade(socket, 400)
    const verdict =
      url.pathname === WS_PATH
        ? checkAccess(request, url, policy, true)
        : ({ kind: 'refused', status: 403, reason: 'not found' } as const)
    if (verdict.kind === 'refused') return refuseUpgrade(socket, verdict.status)
    wss.handleUpgrade(request, socket, head, (ws) => serveClient(ws))
  })

  function serveClient(ws: WebSocket): void {
    delivery.add(ws)
    ws.on('close', () => delivery.remove(ws))
    // ws reports protocol violations (invalid UTF-8, unmasked or oversized frames, reserved opcodes or bits)
    // here and closes the connection with the matching code (1002, 1007, 1009); without a listener the error
    // would be thrown and end the process.
    ws.on('error', (error) => log(`browser host: closed a WebSocket client: ${error.message}`))
    ws.on('message', (data, isBinary) => void answer(ws, data, isBinary))
  }

  async function answer(ws: WebSocket, data: unknown, isBinary: boolean): Promise<void> {
    let frame: Partial<Record<keyof WsRequestFrame, unknown>> | undefined
    try {
      if (isBinary) throw new Error('binary frame')
      const parsed = JSON.parse(String(data)) as unknown
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) frame = parsed as typeof frame
    } catch {
      frame = undefined
    }
    if (!frame) {
      return reply(ws, { id: null, result: failure('INVALID_REQUEST', 'frames are JSON text {id, channel, payload}') })
    }
    const id = typeof frame.id === 'number' || typeof frame.id === 'string' ? frame.id : null
    try {
      reply(ws, { id, result: await dispatch(services, frame.channel, frame.payload) })
    } catch (error) {
      // dispatch answers every failure it knows as a Result; reaching here is a bug, reported, not fatal.
      log(`browser host: request on ${String(frame.channel).slice(0, 80)} failed: ${String(error)}`)
      reply(ws, { id, result: failure('INTERNAL', 'internal error') })
    }
  }

  function reply(ws: WebSocket, frame: WsServerFrame): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  policy.cookieName = tokenCookieName(port)
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host
  allowedHosts.add(`${hostPart}:${port}`)
  if (options.host === '127.0.0.1') allowedHosts.add(`localhost:${port}`)

  return {
    url: `http://${hostPart}:${port}/?token=${token}`,
    token,
    services,
    async close() {
      delivery.closeAll()
      await services.shutdown()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
