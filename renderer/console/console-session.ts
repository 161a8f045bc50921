// One console tab: runs parsed commands through the same API as the rest of the UI and prints the log
// entries of the sockets it watches as text.
import { Channel } from '../../contract/channels'
import { TAP_SHAPES, type TapSummary } from '../../contract/taps'
import type { LogEntryView, SocketSummary } from '../../contract/views'
import type { Api } from '../lib/api'
import { entryPreview, formatBytes, formatTime } from '../lib/format'
import type { Created, SocketSpec } from '../lib/socket-spec'
import { LineEditor } from './line-editor'
import { complete, HELP, parseCommand, type ConsoleCommand } from './parse'
import { findTap, runTapCommand, tapLines } from './tap-commands'

/**
 * What a console tab works with, handed in by whoever opens it: the console imports no state, so it can be
 * driven (and tested) without the page's session, and state that opens consoles never closes a loop through it.
 */
export interface ConsoleContext {
  api: Api
  sockets(): SocketSummary[]
  taps(): TapSummary[]
  /** The tap that pause/resume/step without a name act on (its details are open, or it is the only one). */
  currentTap(): string | null
  /** Creates a socket the way the sidebar's form does (a failing step closes the half-made socket). */
  createSocket(spec: SocketSpec): Promise<Created>
}

const dim = (s: string) => `\x1b[2m${s}\x1b[0m`
const red = (s: string) => `\x1b[31m${s}\x1b[0m`

export class ConsoleSession {
  private readonly editor: LineEditor
  private readonly watched = new Set<string>()
  private watchAll = false
  private write: (data: string) => void = () => {}
  private readonly pending: string[] = []

  constructor(private readonly context: ConsoleContext) {
    this.editor = new LineEditor({
      write: (data) => this.output(data),
      submit: (line) => void this.run(line),
      complete: (line) =>
        complete(
          line,
          this.context.sockets().map((s) => s.name),
          this.context.taps().map((t) => t.id),
        ),
    })
  }

  attach(write: (data: string) => void): () => void {
    this.write = write
    if (this.pending.length === 0) {
      write(dim('ZeroScope inspector console. Type help for commands; Tab completes, ↑/↓ recall.\r\n'))
      this.editor.prompt()
    } else {
      write(this.pending.join(''))
      this.pending.length = 0
    }
    return () => (this.write = (data) => this.pending.push(data))
  }

  input(data: string): void {
    this.editor.input(data)
  }

  entries(entries: LogEntryView[]): void {
    for (const entry of entries) {
      if (!this.watchAll && !this.watched.has(entry.socketId)) continue
      const socket = this.context.sockets().find((s) => s.id === entry.socketId)
      const name = socket?.name ?? entry.socketId
      const arrow = socket?.tap ? this.wayOf(socket.tap) : entry.dir === 'in' ? '\x1b[32m←\x1b[0m' : '\x1b[34m→\x1b[0m'
      this.editor.print(
        `${dim(formatTime(entry.wall))} ${name} ${arrow} ${entryPreview(entry)} ${dim(`(${entry.frames.length}f ${formatBytes(entry.size)})`)}`,
      )
    }
  }

  /** A side socket receives what its tap forwards: the side says the way (upstream side -> down). */
  private wayOf(side: NonNullable<SocketSummary['tap']>): string {
    const tap = this.context.taps().find((t) => t.id === side.tapId)
    const way = side.side === 'upstream' ? 'down' : 'up'
    const label = tap ? TAP_SHAPES[tap.family].ways[way] : way
    return way === 'down' ? `\x1b[32m${label}\x1b[0m` : `\x1b[33m${label}\x1b[0m`
  }

  private output(data: string): void {
    this.write(data)
  }

  private resolve(reference: string): SocketSummary {
    const sockets = this.context.sockets()
    const found = sockets.find((s) => s.id === reference) ?? sockets.find((s) => s.name === reference)
    if (!found) throw new Error(`no socket "${reference}"; ls lists them`)
    return found
  }

  private async run(line: string): Promise<void> {
    const parsed = parseCommand(line)
    try {
      if (parsed.kind === 'error') this.say(red(`error: ${parsed.message}`))
      else if (parsed.kind === 'ok') await this.execute(parsed.command)
    } catch (error) {
      this.say(red(`error: ${(error as Error).message}`))
    }
    this.editor.prompt()
  }

  private async call<T>(
    result: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
  ): Promise<T> {
    const settled = await result
    if (!settled.ok) throw new Error(settled.error.message)
    return settled.value
  }

  private nextName(type: string): string {
    const taken = new Set(this.context.sockets().map((s) => s.name))
    let n = 1
    while (taken.has(`${type}${n}`)) n++
    return `${type}${n}`
  }

  private say(text: string): void {
    this.output(`${text.replace(/\n/g, '\r\n')}\r\n`)
  }

  private tap(command: Extract<ConsoleCommand, { kind: 'taps' | 'tap-create' | 'tap-close' | 'tap-flow' }>) {
    return runTapCommand(command, {
      api: this.context.api,
      taps: () => this.context.taps(),
      sockets: () => this.context.sockets(),
      currentTap: () => this.context.currentTap(),
      say: (text) => this.say(text),
      watch: (socketId) => this.watched.add(socketId),
    })
  }

  private async execute(command: ConsoleCommand): Promise<void> {
    const { api } = this.context
    switch (command.kind) {
      case 'help':
        return this.say(
          command.topic ? (HELP[command.topic] ?? `no help for "${command.topic}"`) : Object.values(HELP).join('\n'),
        )
      case 'clear':
        return this.output('\x1b[2J\x1b[3J\x1b[H')
      case 'ls': {
        const sockets = this.context.sockets()
        const taps = this.context.taps()
        if (sockets.length === 0 && taps.length === 0) return this.say(dim('no sockets'))
        for (const s of sockets) {
          const endpoints = s.endpoints.map((e) => `${e.mode} ${e.address} (${e.status.kind})`).join(', ')
          const side = s.tap ? dim(` [${s.tap.tapId} ${s.tap.side}]`) : ''
          this.say(
            `${s.id.padEnd(5)} ${s.type.toUpperCase().padEnd(7)} ${s.name.padEnd(22)} ${endpoints || dim('no endpoints')}${side}`,
          )
        }
        if (taps.length > 0) this.say(`${dim('taps:')}\n${tapLines(taps, sockets).join('\n')}`)
        return
      }
      case 'stats': {
        for (const s of this.context.sockets()) {
          const c = s.counters
          this.say(
            `${s.name.padEnd(22)} in ${c.msgsIn} (${formatBytes(c.bytesIn)})  out ${c.msgsOut} (${formatBytes(c.bytesOut)})  errors ${c.sendErrors}`,
          )
        }
        const info = await this.call(api.call(Channel.engineInfo, {}))
        return this.say(
          dim(
            `capture: ${info.capture.entries} messages, ${formatBytes(info.capture.bytes)} of ${formatBytes(info.capture.maxBytes)}, ${info.capture.dropped} evicted`,
          ),
        )
      }
      case 'close':
        // "close tap2" closes the tap (both sides); a socket of that name would be named by its id instead.
        if (findTap(this.context.taps(), command.socket)) return this.tap({ kind: 'tap-close', tap: command.socket })
        await this.call(api.call(Channel.socketClose, { socketId: this.resolve(command.socket).id }))
        return this.say(`closed ${command.socket}`)
      case 'taps':
      case 'tap-create':
      case 'tap-close':
      case 'tap-flow':
        return this.tap(command)
      case 'create': {
        const name = command.name ?? this.nextName(command.type)
        const created = await this.context.createSocket({
          type: command.type,
          name,
          mode: command.mode,
          endpoints: command.endpoints,
          subscriptions: command.topics,
        })
        if (created.kind === 'failed') throw new Error(created.message)
        this.watched.add(created.socket.id)
        const endpoints = created.socket.endpoints.map((e) => e.address).join(' ')
        return this.say(
          `${name} (${created.socket.id}): ${command.type.toUpperCase()} ${command.mode} ${endpoints || dim('no endpoints yet')}`,
        )
      }
      case 'attach': {
        const request = { socketId: this.resolve(command.socket).id, endpoint: command.endpoint }
        const summary = await this.call(
          command.verb === 'bind' ? api.call(Channel.socketBind, request) : api.call(Channel.socketConnect, request),
        )
        return this.say(`${summary.name}: ${summary.endpoints.map((e) => `${e.mode} ${e.address}`).join(', ')}`)
      }
      case 'send': {
        const socket = this.resolve(command.socket)
        this.watched.add(socket.id)
        await this.call(api.call(Channel.socketSend, { socketId: socket.id, frames: command.frames }))
        return
      }
      case 'subscribe':
      case 'unsubscribe': {
        const channel = command.kind === 'subscribe' ? Channel.socketSubscribe : Channel.socketUnsubscribe
        const summary = await this.call(
          api.call(channel, { socketId: this.resolve(command.socket).id, prefix: command.prefix }),
        )
        return this.say(
          `${summary.name} filters: ${summary.subscriptions.map((s) => JSON.stringify(s.text ?? `0x${s.hex}`)).join(' ') || dim('none')}`,
        )
      }
      case 'watch':
      case 'unwatch': {
        const on = command.kind === 'watch'
        if (command.target === 'all') {
          this.watchAll = on
          if (!on) this.watched.clear()
        } else if (on) this.watched.add(this.resolve(command.target).id)
        else this.watched.delete(this.resolve(command.target).id)
        return this.say(`${on ? 'watching' : 'not watching'} ${command.target}`)
      }
    }
  }
}
