// The state of the page's link to its host, and how long to wait before trying again. Pure: the browser bridge
// drives it, the session shows it; the Electron host's IPC never drops, so there it is always open.

export type Link =
  /** A connection attempt is under way (the first one on page load, or a retry). */
  | { kind: 'connecting'; attempt: number; since: number }
  | { kind: 'open' }
  /** No connection; attempt `attempt` starts at `nextAt` (epoch ms). `since`: when the link was last lost. */
  | { kind: 'waiting'; attempt: number; nextInMs: number; nextAt: number; since: number; message: string }
  /** Closed on purpose (the session was disposed): nothing reconnects. */
  | { kind: 'closed' }

export const FIRST_RETRY_MS = 250
/** The slow rate: a host that stays away (or refuses us) is asked every 5 s, not hammered. */
export const SLOW_RETRY_MS = 5000

/** Wait before the next attempt after `failures` failed ones since the link was last open: 0.25 s doubling to 5 s. */
export function backoffMs(failures: number): number {
  return Math.min(SLOW_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures))
}

export type Refusal = { status: number; reason: string }

/**
 * The host's refusal page says "ZeroScope refused this request: <reason>. Open the URL …"; the reason alone,
 * or the HTTP status text when the body is something else.
 */
export function refusalReason(body: string, statusText: string): string {
  return /refused this request: (.*?)\.(\s|$)/.exec(body)?.[1] ?? (statusText || 'refused')
}

/** One plain sentence for a refused reconnect; a wrong token most likely means the host restarted with another. */
export function refusedMessage(refusal: Refusal): string {
  const said = `the host refused the connection (HTTP ${refusal.status}: ${refusal.reason})`
  return refusal.status === 401 ? `${said}; if it was restarted with a new token, open the URL it printed` : said
}
