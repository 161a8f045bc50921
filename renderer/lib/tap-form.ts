// A new tap as the form and the console hold it: its two sides, the request they make, the checks a side can get
// before the engine is asked, and the sentence of what the user must rewire. Pure: no DOM, no API.
import { checkEndpoint } from '../../contract/endpoint'
import type { SocketOptions, TapCreateRequest } from '../../contract/schemas'
import { TAP_SHAPES, type TapFamily, type TapSideName } from '../../contract/taps'

export const TAP_SIDES: readonly TapSideName[] = ['upstream', 'downstream']

export interface SideDraft {
  mode: 'bind' | 'connect'
  endpoint: string
  options?: SocketOptions
}
export type SideDrafts = Record<TapSideName, SideDraft>

/** What a family is called in the form; the console and the contract use the family key itself. */
export const FAMILY_LABELS: Record<TapFamily, string> = {
  reqrep: 'request/reply',
  pubsub: 'pub/sub',
  pipeline: 'pipeline',
}

/** The socket types the user's own processes have on each side, for the diagram. */
export const PEER_TYPES: Record<TapFamily, Record<TapSideName, string>> = {
  reqrep: { upstream: 'REQ or DEALER', downstream: 'REP or ROUTER' },
  pubsub: { upstream: 'PUB or XPUB', downstream: 'SUB or XSUB' },
  pipeline: { upstream: 'PUSH', downstream: 'PULL' },
}

/**
 * The guide's port on the upstream side (5555 hello, 5556 weather, 5557 ventilator) and that port + 1000
 * downstream: in the classic topology a tap is then a matter of one moved port (the service moves for request/reply,
 * the subscribers or workers for the others, which is where the tap binds by default).
 */
const CLASSIC_PORT: Record<TapFamily, number> = { reqrep: 5555, pubsub: 5556, pipeline: 5557 }

export function defaultSides(family: TapFamily): SideDrafts {
  const modes = TAP_SHAPES[family].defaultModes
  const port = CLASSIC_PORT[family]
  return {
    upstream: { mode: modes.upstream, endpoint: `tcp://127.0.0.1:${port}` },
    downstream: { mode: modes.downstream, endpoint: `tcp://127.0.0.1:${port + 1000}` },
  }
}

/** The contract's side keys are the family's role words: one switch here keeps that mapping in one place. */
export function tapRequest(
  family: TapFamily,
  sides: SideDrafts,
  extra: { name?: string; replyTimeoutMs?: number } = {},
): TapCreateRequest {
  const side = (draft: SideDraft) => ({
    mode: draft.mode,
    endpoint: draft.endpoint.trim(),
    ...(draft.options && Object.keys(draft.options).length > 0 ? { options: draft.options } : {}),
  })
  const name = extra.name?.trim() ? { name: extra.name.trim() } : {}
  const up = side(sides.upstream)
  const down = side(sides.downstream)
  switch (family) {
    case 'reqrep':
      return {
        family,
        ...name,
        clients: up,
        service: down,
        ...(extra.replyTimeoutMs !== undefined ? { replyTimeoutMs: extra.replyTimeoutMs } : {}),
      }
    case 'pubsub':
      return { family, ...name, publishers: up, subscribers: down }
    case 'pipeline':
      return { family, ...name, producers: up, consumers: down }
  }
}

export function sideProblem(draft: SideDraft): string | null {
  const check = checkEndpoint(draft.endpoint.trim(), draft.mode)
  return check.kind === 'invalid' ? check.message : null
}

type Place = { transport: string; host: string; port: string } | { transport: string; path: string }

function place(endpoint: string): Place | null {
  const match = /^([a-z0-9+]+):\/\/(.+)$/.exec(endpoint.trim())
  if (!match) return null
  const [, transport, rest] = match as unknown as [string, string, string]
  if (transport !== 'tcp') return { transport, path: rest }
  const target = rest.includes(';') ? rest.slice(rest.indexOf(';') + 1) : rest
  const colon = target.lastIndexOf(':')
  return { transport, host: target.slice(0, colon), port: target.slice(colon + 1) }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** Whether two endpoints name the same place: "*" binds every interface, so it meets any host on its port. */
function samePlace(a: Place, b: Place): boolean {
  if (a.transport !== b.transport) return false
  if ('path' in a || 'path' in b) return 'path' in a && 'path' in b && a.path === b.path
  if (a.port !== b.port || a.port === '*' || a.port === '0') return false
  return a.host === b.host || a.host === '*' || b.host === '*' || (LOOPBACK.has(a.host) && LOOPBACK.has(b.host))
}

/**
 * A tap whose sides would meet each other forwards to itself; said before the engine is asked, in the family's
 * words. Both connecting to one place is not a loop (two user processes could share it), so that is left alone.
 */
export function loopProblem(family: TapFamily, sides: SideDrafts): string | null {
  const up = place(sides.upstream.endpoint)
  const down = place(sides.downstream.endpoint)
  if (!up || !down || !samePlace(up, down)) return null
  const roles = TAP_SHAPES[family].roles
  const { upstream, downstream } = sides
  if (upstream.mode === 'bind' && downstream.mode === 'bind')
    return `both sides bind ${upstream.endpoint.trim()}: give the ${roles.upstream} and the ${roles.downstream} their own endpoints`
  if (upstream.mode === downstream.mode) return null
  const connecting: TapSideName = upstream.mode === 'connect' ? 'upstream' : 'downstream'
  const binding: TapSideName = connecting === 'upstream' ? 'downstream' : 'upstream'
  return `the ${roles[connecting]} side would connect to the tap's own ${roles[binding]} side at ${sides[binding].endpoint.trim()}: point it at your ${roles[connecting]} instead`
}

/** Where the user's processes reach a side that binds: "*" is every interface, loopback among them (as the engine says). */
export function reachableAt(endpoint: string): string {
  const p = place(endpoint)
  if (!p || !('host' in p)) return endpoint.trim()
  const port = p.port === '*' || p.port === '0' ? '<the port it gets>' : p.port
  const host = p.host === '*' || p.host === '0.0.0.0' ? '127.0.0.1' : p.host
  return `${p.transport}://${host}:${port}`
}

/**
 * The one sentence of what to rewire, as the form previews it before the tap exists; worded like the engine's
 * own (upstream side first), which replaces it once the tap exists and its ports are resolved.
 */
export function rewiringPreview(family: TapFamily, sides: SideDrafts): string {
  const roles = TAP_SHAPES[family].roles
  return TAP_SIDES.map((side) => {
    const draft = sides[side]
    return draft.mode === 'bind'
      ? `point your ${roles[side]} at ${reachableAt(draft.endpoint)}`
      : `the tap connects to your ${roles[side]} at ${draft.endpoint.trim()}`
  }).join('; ')
}

/** "your clients connect", "your service connects": the role words are plural but for the one service. */
export function verbFor(role: string, verb: 'connect' | 'bind'): string {
  return role.endsWith('s') ? verb : `${verb}s`
}

/** A way as the card and the details list it: "↓ client → service", and "subscription ↑" (its own arrow). */
export function wayLabel(family: TapFamily, way: 'down' | 'up'): string {
  const label = TAP_SHAPES[family].ways[way]
  return /[↑↓]/.test(label) ? label : `${way === 'down' ? '↓' : '↑'} ${label}`
}

/** Which ways a family's messages can go: PUSH never receives, so nothing goes up a pipeline tap. */
export function waysOf(family: TapFamily): ('down' | 'up')[] {
  return family === 'pipeline' ? ['down'] : ['down', 'up']
}
