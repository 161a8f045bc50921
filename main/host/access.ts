// Access control for the browser host: a strong random token (compared in constant time), our own Host and
// Origin, and a limiter that throttles wrong tokens without ever refusing the right one.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FailureLimiter } from './rate-limit'

/** Below this a token could be guessed offline or by a patient local attacker. */
export const MIN_TOKEN_BITS = 128
/** A token that repeats a few characters ("aaaa…", "0101…") has far less entropy than its length suggests. */
const MIN_DISTINCT_CHARACTERS = 8

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

/**
 * Browsers scope cookies by host, not port: a cookie for 127.0.0.1 is sent to every server on 127.0.0.1. Naming
 * it per port keeps two hosts on one machine from overwriting each other's cookie (the residual risk, that
 * another local server receives it, is in the README's Security section).
 */
export function tokenCookieName(port: number): string {
  return `zeroscope_token_${port}`
}

/** Bits by length times the size of the alphabet the token draws from; an estimate a human can check. */
export function tokenBits(token: string): number {
  const classes: [RegExp, number][] = [
    [/^[0-9]*$/, 10],
    [/^[0-9a-f]*$/, 16],
    [/^[0-9A-F]*$/, 16],
    [/^[0-9a-z]*$/, 36],
    [/^[0-9A-Za-z]*$/, 62],
    [/^[0-9A-Za-z_-]*$/, 64],
    [/^[0-9A-Za-z+/=]*$/, 64],
  ]
  const alphabet = classes.find(([pattern]) => pattern.test(token))?.[1] ?? 94
  return token.length * Math.log2(alphabet)
}

export type TokenCheck = { kind: 'strong' } | { kind: 'weak'; reason: string }

/** Why a chosen token (ZEROSCOPE_TOKEN) may not guard the engine, in one line. */
export function checkTokenStrength(token: string): TokenCheck {
  const advice = 'use at least 22 random base64url characters, e.g. ZEROSCOPE_TOKEN=$(openssl rand -base64 24)'
  if (token.length === 0) return { kind: 'weak', reason: `the token is empty; ${advice}` }
  const bits = Math.floor(tokenBits(token))
  if (bits < MIN_TOKEN_BITS) {
    return { kind: 'weak', reason: `the token has about ${bits} bits, fewer than ${MIN_TOKEN_BITS}; ${advice}` }
  }
  if (new Set(token).size < MIN_DISTINCT_CHARACTERS) {
    return { kind: 'weak', reason: `the token repeats fewer than ${MIN_DISTINCT_CHARACTERS} characters; ${advice}` }
  }
  return { kind: 'strong' }
}

/** Constant-time comparison; an empty or missing credential never matches, whatever the expected token is. */
export function sameToken(expected: string, given: string | undefined): boolean {
  if (given === undefined || given.length === 0 || expected.length === 0) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function tokenFrom(request: IncomingMessage, url: URL, cookieName: string): string | undefined {
  const fromQuery = url.searchParams.get('token')
  if (fromQuery) return fromQuery
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === cookieName) return value.join('=')
  }
  return undefined
}

export type Verdict = { kind: 'allowed' } | { kind: 'refused'; status: 401 | 403 | 429; reason: string }

export interface AccessPolicy {
  token: string
  cookieName: string
  allowedHosts: ReadonlySet<string>
  limiter: FailureLimiter
}

/**
 * Host must be one we serve (defeats DNS rebinding); Origin, when present, must be our own origin (defeats
 * other sites' pages driving the engine from the user's browser); the token must match. The token is checked
 * before the limiter: any page can make the browser send wrong tokens from 127.0.0.1, so a limiter consulted
 * first would let it lock the real user out. Only wrong tokens are throttled.
 */
export function checkAccess(request: IncomingMessage, url: URL, policy: AccessPolicy, requireOrigin: boolean): Verdict {
  const host = request.headers.host ?? ''
  if (!policy.allowedHosts.has(host))
    return { kind: 'refused', status: 403, reason: `host ${host.slice(0, 100) || '(none)'} is not served here` }
  const origin = request.headers.origin
  if (origin !== undefined ? origin !== `http://${host}` : requireOrigin) {
    return { kind: 'refused', status: 403, reason: `origin ${origin?.slice(0, 100) ?? '(none)'} is not allowed` }
  }
  if (sameToken(policy.token, tokenFrom(request, url, policy.cookieName))) return { kind: 'allowed' }
  const peer = request.socket.remoteAddress ?? 'unknown'
  if (policy.limiter.blocked(peer)) {
    return { kind: 'refused', status: 429, reason: 'too many wrong tokens from this address; wait a minute' }
  }
  policy.limiter.fail(peer)
  return { kind: 'refused', status: 401, reason: 'missing or wrong token' }
}
