// Browser host: the engine behind a token-gated HTTP + WebSocket server. Requests are {id, channel, payload}
// frames answered with {id, result}; engine events are pushed as {event}.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import type { EngineEvent } from '../../preload/views'
import type { EventSink } from '../engine/engine'
import type { ShellPolicy } from '../engine/terminal'
import { checkAccess, newToken, TOKEN_COOKIE } from './access'
import { dispatch } from './dispatch'
import { FailureLimiter, type RateLimitOptions } from './rate-limit'
import { createServices, type Services } from './services'
import { serveStatic } from './static-files'

export interface BrowserHostOptions {
  host: string
  port: number
  rendererRoot: string
  token?: string
  shell?: ShellPolicy
  rateLimit?: RateLimitOptions
  exportsDir?: string
}

export interface RunningHost {
  url: string
  token: string
  services: Services
  close(): Promise<void>
}

/** A client that has not drained this much is skipped for batches (it can re-query); sockets events still go. */
const SLOW_CLIENT_BYTES = 32 * 1024 * 1024
export const WS_PATH = '/ws'
const STATUS_TEXT = { 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests' } as const

function refuse(response: ServerResponse, status: number, reason: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
  response.end(`ZeroScope refused this request: ${reason}. Open the URL printed by "npm run serve".\n`)
}

function broadcaster(clients: Set<WebSocket>): EventSink {
  return {
    emit(event: EngineEvent) {
      if (clients.size === 0) return
      const data = JSON.stringify({ event })
      for (const client of clients) {
        if (event.type === 'batch' && client.bufferedAmount > SLOW_CLIENT_BYTES) continue
        client.send(data)
      }
    },
  }
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<RunningHost> {
  const token = options.token ?? newToken()
  const clients = new Set<WebSocket>()
  const services = createServices(
    broadcaster(clients),
    { host: 'browser', ...(options.exportsDir ? { exportsDir: options.exportsDir } : {}) },
    options.shell,
  )
  const allowedHosts = new Set<string>()
  const limiter = new FailureLimiter(options.rateLimit)
  const wss = new WebSocketServer({ noServer: true, maxPayload: 128 * 1024 * 1024 })

  const server: Server = createServer((request, response) => {
    const verdict = checkAccess(request, token, allowedHosts, false, limiter)
    if (verdict.kind === 'refused') return refuse(response, verdict.status, verdict.reason)
    const url = new URL(request.url ?? '/', 'http://placeholder')
    if (url.searchParams.has('token')) {
      // The cookie lets the page's own asset and WebSocket requests through without repeating the token.
      response.setHeader('set-cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`)
    }
    void serveStatic(options.rendererRoot, url.pathname, response)
  })

  server.on('upgrade', (request: IncomingMessage, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://placeholder')
    const verdict =
      url.pathname === WS_PATH
        ? checkAccess(request, token, allowedHosts, true, limiter)
        : ({ kind: 'refused', status: 403, reason: 'not found' } as const)
    if (verdict.kind === 'refused') {
      socket.end(`HTTP/1.1 ${verdict.status} ${STATUS_TEXT[verdict.status]}\r\nconnection: close\r\n\r\n`)
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveClient(ws))
  })

  function serveClient(ws: WebSocket): void {
    clients.add(ws)
    ws.on('close', () => clients.delete(ws))
    ws.on('message', (data) => {
      let id: unknown = null
      void (async () => {
        let frame: { id?: unknown; channel?: unknown; payload?: unknown }
        try {
          frame = JSON.parse(data.toString()) as typeof frame
          if (typeof frame !== 'object' || frame === null) throw new Error('not an object')
        } catch {
          ws.send(
            JSON.stringify({
              id,
              result: {
                ok: false,
                error: { code: 'INVALID_REQUEST', message: 'frames are JSON {id, channel, payload}' },
              },
            }),
          )
          return
        }
        id = typeof frame.id === 'number' || typeof frame.id === 'string' ? frame.id : null
        const result = await dispatch(services, frame.channel, frame.payload)
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }))
      })()
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host
  allowedHosts.add(`${hostPart}:${port}`)
  if (options.host === '127.0.0.1') allowedHosts.add(`localhost:${port}`)

  return {
    url: `http://${hostPart}:${port}/?token=${token}`,
    token,
    services,
    async close() {
      for (const client of clients) client.terminate()
      await services.shutdown()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
