// Runs the console's tap commands through the API and says what came of them, in the console's plain words.
import { Channel } from '../../contract/channels'
import { TAP_SHAPES, type TapSideView, type TapSummary } from '../../contract/taps'
import type { SocketSummary } from '../../contract/views'
import type { Api } from '../lib/api'
import { formatBytes } from '../lib/format'
import { waysOf } from '../lib/tap-form'
import type { TapCommand } from './parse-tap'

export interface TapConsole {
  api: Api
  taps(): TapSummary[]
  sockets(): SocketSummary[]
  /** The tap commands without a name act on: the one whose details are open, else the only one (or none). */
  currentTap(): string | null
  say(text: string): void
  /** The side sockets of a tap made here are watched, so what it forwards prints here. */
  watch(socketId: string): void
}

const dim = (s: string) => `\x1b[2m${s}\x1b[0m`

async function value<T>(
  result: Promise<{ ok: true; value: T } | { ok: false; error: { code?: string; message: string } }>,
): Promise<T> {
  const settled = await result
  if (!settled.ok) throw new Error(settled.error.message)
  return settled.value
}

export function findTap(taps: TapSummary[], reference: string): TapSummary | undefined {
  return taps.find((t) => t.id === reference) ?? taps.find((t) => t.name === reference)
}

function resolveTap(context: TapConsole, reference: string | undefined): TapSummary {
  const taps = context.taps()
  if (reference !== undefined) {
    const found = findTap(taps, reference)
    if (!found) throw new Error(`no tap "${reference}"; taps lists them`)
    return found
  }
  const current = context.currentTap()
  const found = current === null ? undefined : taps.find((t) => t.id === current)
  if (found) return found
  if (taps.length === 0) throw new Error('no taps; make one with: tap reqrep --clients … --service …')
  throw new Error(`${taps.length} taps are open: say which (${taps.map((t) => t.id).join(', ')})`)
}

function sideLine(side: TapSideView, sockets: SocketSummary[]): string {
  const status = sockets.find((s) => s.id === side.socketId)?.endpoints[0]?.status.kind ?? 'unknown'
  const blocked =
    side.flow.kind === 'blocked' ? ` blocked ${side.flow.reason === 'no-peer' ? 'no peer' : 'at high-water mark'}` : ''
  return `${side.role} ${side.mode} ${side.address || side.requested} (${status}${blocked})`
}

/** One line per tap: id, family, name, both sides, what it forwarded and whether it holds anything. */
export function tapLines(taps: TapSummary[], sockets: SocketSummary[]): string[] {
  return taps.map((tap) => {
    const flow =
      tap.flow.kind === 'paused'
        ? `paused, held ↓${tap.flow.held.down} ↑${tap.flow.held.up} (${formatBytes(tap.flow.heldBytes)})`
        : 'forwarding'
    const counts = `↓${tap.forwarded.down.messages} ↑${tap.forwarded.up.messages}`
    return `${tap.id.padEnd(6)} ${tap.family.toUpperCase().padEnd(8)} ${tap.name.padEnd(20)} ${sideLine(tap.upstream, sockets)} → ${sideLine(tap.downstream, sockets)}  ${counts}  ${flow}`
  })
}

export async function runTapCommand(command: TapCommand, context: TapConsole): Promise<void> {
  const { api } = context
  switch (command.kind) {
    case 'taps': {
      const lines = tapLines(context.taps(), context.sockets())
      return context.say(lines.length > 0 ? lines.join('\n') : dim('no taps'))
    }
    case 'tap-create': {
      const tap = await value(api.call(Channel.tapCreate, command.request))
      context.watch(tap.upstream.socketId)
      context.watch(tap.downstream.socketId)
      const ways = waysOf(tap.family).map((way) => TAP_SHAPES[tap.family].ways[way])
      context.say(`${tap.name} (${tap.id}): ${tap.family} tap, watching ${ways.join(' and ')}`)
      return context.say(tap.rewiring)
    }
    case 'tap-close': {
      const tap = resolveTap(context, command.tap)
      await value(api.call(Channel.tapClose, { tapId: tap.id }))
      return context.say(`closed tap ${tap.name} (${tap.id})`)
    }
    case 'tap-flow': {
      const tap = resolveTap(context, command.tap)
      const channel = { pause: Channel.tapPause, resume: Channel.tapResume, step: Channel.tapStep }[command.action]
      const after = await value(api.call(channel, { tapId: tap.id }))
      const held =
        after.flow.kind === 'paused'
          ? `paused, holding ↓${after.flow.held.down} ↑${after.flow.held.up}${after.flow.full ? ' (hold full: ZeroMQ queues the rest)' : ''}`
          : 'forwarding'
      return context.say(`${after.name}: ${held}`)
    }
  }
}
