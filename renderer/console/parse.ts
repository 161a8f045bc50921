// The inspector console's command language, in the spirit of zmqc / kcat. Pure: no DOM, no API; the console
// session executes what this returns. Every error names the problem.
import type { FrameInput } from '../../contract/schemas'
import { checkEndpoint } from '../../contract/endpoint'
import { frameProblem } from '../../contract/frame-check'
import { SOCKET_TYPES, DRAFT_SOCKET_TYPES, type SocketType } from '../../contract/views'
import { tokenize } from './tokenize'
import { parseFlow, parseTap, TAP_HELP, tapCompletions, type TapCommand } from './parse-tap'

export type ConsoleCommand =
  | { kind: 'help'; topic?: string }
  | { kind: 'ls' }
  | { kind: 'stats' }
  | { kind: 'clear' }
  | { kind: 'close'; socket: string }
  | {
      kind: 'create'
      type: SocketType
      mode: 'bind' | 'connect'
      endpoints: string[]
      name?: string
      topics: FrameInput[]
    }
  | { kind: 'attach'; verb: 'bind' | 'connect'; socket: string; endpoint: string }
  | { kind: 'send'; socket: string; frames: FrameInput[] }
  | { kind: 'subscribe' | 'unsubscribe'; socket: string; prefix: FrameInput }
  | { kind: 'watch' | 'unwatch'; target: string }
  | TapCommand

export type Parsed = { kind: 'ok'; command: ConsoleCommand } | { kind: 'empty' } | { kind: 'error'; message: string }

const ALL_TYPES: readonly string[] = [...SOCKET_TYPES, ...DRAFT_SOCKET_TYPES]
const ENCODINGS = { '--text': 'text', '--hex': 'hex', '--base64': 'base64', '--json': 'json' } as const

export const HELP: Record<string, string> = {
  help: 'help [command]                      this list, or one command in detail',
  ls: 'ls                                  list sockets and taps',
  stats: 'stats                               counters per socket and the capture buffer',
  create:
    '<type> [--bind] [--name N] [--topic T]... <endpoint>...\n' +
    '                                    create a socket (type: pub sub req rep dealer router push pull pair xpub xsub stream)\n' +
    '                                    e.g. sub tcp://localhost:5556 --topic 10001 · push --bind tcp://*:5557',
  bind: 'bind <socket> <endpoint>            bind an existing socket',
  connect: 'connect <socket> <endpoint>         connect an existing socket',
  send:
    'send <socket> [--text|--hex|--base64|--json] <frame>...\n' +
    '                                    one message, one word per frame; an encoding flag applies to the frames after it\n' +
    '                                    e.g. send req1 Hello · send router1 --hex 00aa --text "job 1"',
  subscribe: 'subscribe <socket> [--hex] <prefix>  add a SUB/XSUB filter ("" = everything)',
  unsubscribe: 'unsubscribe <socket> [--hex] <prefix>',
  watch: "watch <socket|all>                  print that socket's messages here (sockets made here are watched)",
  unwatch: 'unwatch <socket|all>',
  close: 'close <socket|tap>                  close a socket, or a tap with both its sides',
  ...TAP_HELP,
  clear: 'clear                               clear this console',
}

export const COMMANDS: readonly string[] = [
  'help',
  'ls',
  'stats',
  'bind',
  'connect',
  'send',
  'subscribe',
  'unsubscribe',
  'watch',
  'unwatch',
  'close',
  'tap',
  'taps',
  'pause',
  'resume',
  'step',
  'clear',
]

const err = (message: string): Parsed => ({ kind: 'error', message })
const ok = (command: ConsoleCommand): Parsed => ({ kind: 'ok', command })

/** A frame as typed, or why it is not valid in `enc`: the composer's and the engine's check, one copy. */
function frame(enc: FrameInput['enc'], data: string): FrameInput | string {
  const problem = frameProblem(enc, data)
  return problem === null ? { enc, data } : `"${data}" is not ${enc}: ${problem}`
}

function parseCreate(type: SocketType, args: string[]): Parsed {
  let mode: 'bind' | 'connect' = 'connect'
  let name: string | undefined
  const topics: FrameInput[] = []
  const endpoints: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--bind' || arg === '-b') mode = 'bind'
    else if (arg === '--connect' || arg === '-c') mode = 'connect'
    else if (arg === '--name' || arg === '--topic' || arg === '--hex-topic') {
      const value = args[++i]
      if (value === undefined) return err(`${arg} needs a value`)
      if (arg === '--name') name = value
      else {
        const topic = frame(arg === '--topic' ? 'text' : 'hex', value)
        if (typeof topic === 'string') return err(topic)
        topics.push(topic)
      }
    } else if (arg.startsWith('-')) return err(`unknown option ${arg} for ${type}; try: help create`)
    else endpoints.push(arg)
  }
  if (topics.length > 0 && type !== 'sub' && type !== 'xsub')
    return err(`--topic only applies to sub and xsub, not ${type}`)
  for (const endpoint of endpoints) {
    const check = checkEndpoint(endpoint, mode)
    if (check.kind === 'invalid') return err(check.message)
  }
  return ok({ kind: 'create', type, mode, endpoints, ...(name !== undefined ? { name } : {}), topics })
}

function parseSend(args: string[]): Parsed {
  const [socket, ...rest] = args
  if (!socket) return err('send needs a socket: send <socket> <frame>...')
  let enc: FrameInput['enc'] = 'text'
  const frames: FrameInput[] = []
  for (const arg of rest) {
    if (arg in ENCODINGS) {
      enc = ENCODINGS[arg as keyof typeof ENCODINGS]
      continue
    }
    const parsed = frame(enc, arg)
    if (typeof parsed === 'string') return err(parsed)
    frames.push(parsed)
  }
  if (frames.length === 0) return err(`send ${socket} needs at least one frame, e.g. send ${socket} Hello`)
  return ok({ kind: 'send', socket, frames })
}

function parseSubscription(kind: 'subscribe' | 'unsubscribe', args: string[]): Parsed {
  const hex = args.includes('--hex')
  const [socket, prefix, ...extra] = args.filter((a) => a !== '--hex')
  if (!socket || prefix === undefined) return err(`${kind} needs a socket and a prefix: ${kind} <socket> <prefix>`)
  if (extra.length > 0) return err(`${kind} takes one prefix; quote it if it has spaces`)
  const parsed = frame(hex ? 'hex' : 'text', prefix)
  return typeof parsed === 'string' ? err(parsed) : ok({ kind, socket, prefix: parsed })
}

export function parseCommand(line: string): Parsed {
  const tokens = tokenize(line.trim())
  if (tokens.kind === 'error') return err(tokens.message)
  const [head, ...args] = tokens.words
  if (head === undefined) return { kind: 'empty' }
  const name = head.toLowerCase()
  if (ALL_TYPES.includes(name)) return parseCreate(name as SocketType, args)
  const needs = (count: number, usage: string): string | null =>
    args.length === count ? null : `${name} takes ${count === 1 ? 'one argument' : `${count} arguments`}: ${usage}`
  switch (name) {
    case 'help':
      return ok(args[0] ? { kind: 'help', topic: args[0] } : { kind: 'help' })
    case 'ls':
    case 'stats':
    case 'taps':
    case 'clear':
      return args.length === 0 ? ok({ kind: name }) : err(`${name} takes no arguments`)
    case 'close': {
      const problem = needs(1, 'close <socket>')
      return problem ? err(problem) : ok({ kind: 'close', socket: args[0]! })
    }
    case 'bind':
    case 'connect': {
      const problem = needs(2, `${name} <socket> <endpoint>`)
      if (problem) return err(problem)
      const check = checkEndpoint(args[1]!, name)
      if (check.kind === 'invalid') return err(check.message)
      return ok({ kind: 'attach', verb: name, socket: args[0]!, endpoint: args[1]! })
    }
    case 'tap':
      return parseTap(args)
    case 'pause':
    case 'resume':
    case 'step':
      return parseFlow(name, args)
    case 'send':
      return parseSend(args)
    case 'subscribe':
    case 'unsubscribe':
      return parseSubscription(name, args)
    case 'watch':
    case 'unwatch': {
      const problem = needs(1, `${name} <socket|all>`)
      return problem ? err(problem) : ok({ kind: name, target: args[0]! })
    }
    default:
      return err(`unknown command "${head}"; type help for the list`)
  }
}

/** Completes the word before the cursor: commands and socket types first, then socket and tap names, options. */
export function complete(
  line: string,
  sockets: readonly string[],
  taps: readonly string[] = [],
): { word: string; candidates: string[] } {
  const words = line.split(/\s+/)
  const word = words[words.length - 1] ?? ''
  const position = words.length - 1
  const head = words[0]?.toLowerCase() ?? ''
  let pool: readonly string[] = []
  if (position === 0) pool = [...COMMANDS, ...ALL_TYPES]
  else if (ALL_TYPES.includes(head)) pool = ['--bind', '--connect', '--name', '--topic', '--hex-topic']
  else if (head === 'tap') pool = position === 2 && words[1] === 'close' ? taps : tapCompletions(words)
  else if (position === 1 && (head === 'pause' || head === 'resume' || head === 'step')) pool = taps
  else if (position === 1 && head === 'close') pool = [...sockets, ...taps]
  else if (
    position === 1 &&
    ['send', 'close', 'bind', 'connect', 'subscribe', 'unsubscribe', 'watch', 'unwatch'].includes(head)
  )
    pool = head === 'watch' || head === 'unwatch' ? ['all', ...sockets] : sockets
  else if (position === 1 && head === 'help') pool = Object.keys(HELP)
  else if (head === 'send') pool = Object.keys(ENCODINGS)
  return { word, candidates: pool.filter((c) => c.startsWith(word)) }
}
