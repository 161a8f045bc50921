// Access control for the browser host: a random token (compared in constant time) and allowed Origin/Host.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FailureLimiter } from './rate-limit'

export const TOKEN_COOKIE = 'zeroscope_token'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

export function sameToken(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function tokenFrom(request: IncomingMessage): string | undefined {
  const url = new URL(request.url ?? '/', 'http://placeholder')
  const fromQuery = url.searchParams.get('token')
  if (fromQuery) return fromQuery
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === TOKEN_COOKIE) return value.join('=')
  }
  return undefined
}

export type Verdict = { kind: 'allowed' } | { kind: 'refused'; status: 401 | 403 | 429; reason: string }

/**
 * Host must be one we serve (defeats DNS rebinding); Origin, when present, must be our own origin (defeats
 * other sites' pages driving the engine from the user's browser); the token must match.
 */
export function checkAccess(
  request: IncomingMessage,
  token: string,
  allowedHosts: ReadonlySet<string>,
  requireOrigin: boolean,
  limiter: FailureLimiter,
): Verdict {
  const peer = request.socket.remoteAddress ?? 'unknown'
  if (limiter.blocked(peer)) return { kind: 'refused', status: 429, reason: 'too many failed attempts; wait a minute' }
  const host = request.headers.host ?? ''
  if (!allowedHosts.has(host))
    return { kind: 'refused', status: 403, reason: `host ${host || '(none)'} is not served here` }
  const origin = request.headers.origin
  if (origin !== undefined ? origin !== `http://${host}` : requireOrigin) {
    return { kind: 'refused', status: 403, reason: `origin ${origin ?? '(none)'} is not allowed` }
  }
  if (!sameToken(token, tokenFrom(request))) {
    limiter.fail(peer)
    return { kind: 'refused', status: 401, reason: 'missing or wrong token' }
  }
  return { kind: 'allowed' }
}
