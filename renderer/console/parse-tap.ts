// The console's tap commands: `tap <family> --<side> [bind:|connect:]<endpoint> ...`, `tap close <tap>`,
// `pause|resume|step [tap]` and `taps`. Side flags are the family's own role words (TAP_SHAPES), so a side of
// another family is refused by name. Pure, like parse.ts, which hands these words over.
import { checkEndpoint } from '../../contract/endpoint'
import type { TapCreateRequest } from '../../contract/schemas'
import { TAP_FAMILIES, TAP_SHAPES, type TapFamily, type TapSideName } from '../../contract/taps'
import { tapRequest, TAP_SIDES, type SideDraft } from '../lib/tap-form'

export type TapCommand =
  | { kind: 'tap-create'; request: TapCreateRequest }
  | { kind: 'tap-close'; tap: string }
  | { kind: 'tap-flow'; action: 'pause' | 'resume' | 'step'; tap?: string }
  | { kind: 'taps' }

export type ParsedTap = { kind: 'ok'; command: TapCommand } | { kind: 'error'; message: string }

const err = (message: string): ParsedTap => ({ kind: 'error', message })
const ok = (command: TapCommand): ParsedTap => ({ kind: 'ok', command })

const isFamily = (word: string): word is TapFamily => (TAP_FAMILIES as readonly string[]).includes(word)

/** Every role word, with the family and side it belongs to: "--publishers" on a reqrep tap is named as pubsub's. */
const ROLES: Record<string, { family: TapFamily; side: TapSideName }> = Object.fromEntries(
  TAP_FAMILIES.flatMap((family) =>
    TAP_SIDES.map((side) => [TAP_SHAPES[family].roles[side], { family, side }] as const),
  ),
)

const sideFlags = (family: TapFamily): string =>
  TAP_SIDES.map((side) => `--${TAP_SHAPES[family].roles[side]}`).join(' and ')

/** "clients bind, service connects" per family, from the shapes, so the help never drifts from the defaults. */
const DEFAULTS = TAP_FAMILIES.map(
  (family) =>
    `${family}: ${TAP_SIDES.map((side) => `${TAP_SHAPES[family].roles[side]} ${TAP_SHAPES[family].defaultModes[side]}`).join(', ')}`,
).join(' · ')

export const TAP_HELP: Record<string, string> = {
  tap:
    'tap <family> --<side> [bind:|connect:]<endpoint> --<side> [bind:|connect:]<endpoint> [--name N] [--timeout MS]\n' +
    '                                    a capturing proxy between your processes; the sides by family:\n' +
    `                                    ${TAP_FAMILIES.map((f) => `${f} ${sideFlags(f)}`).join(' · ')}\n` +
    `                                    without a prefix a side does what it usually does (${DEFAULTS})\n` +
    '                                    --timeout (reqrep): a request without a reply after MS is unanswered\n' +
    '                                    e.g. tap reqrep --clients tcp://*:5555 --service tcp://127.0.0.1:6555\n' +
    '                                    tap close <tap>: close a tap and both its sides',
  taps: 'taps                                list taps (ls lists them too)',
  pause:
    'pause [tap]                         hold what a tap receives instead of forwarding it (default: the open or only tap)',
  resume: 'resume [tap]                        forward everything held, in order, and go on forwarding',
  step: 'step [tap]                          forward exactly one held message (the oldest), staying paused',
}

/** `bind:tcp://…`, `connect:tcp://…`, or an endpoint alone (the side's usual mode). */
function side(family: TapFamily, name: TapSideName, value: string): SideDraft | string {
  const prefixed = /^(bind|connect):(.*)$/.exec(value)
  const mode = prefixed ? (prefixed[1] as 'bind' | 'connect') : TAP_SHAPES[family].defaultModes[name]
  const endpoint = prefixed ? prefixed[2]! : value
  const check = checkEndpoint(endpoint, mode)
  if (check.kind === 'invalid') return `--${TAP_SHAPES[family].roles[name]}: ${check.message}`
  return { mode, endpoint }
}

function parseCreate(family: TapFamily, args: string[]): ParsedTap {
  const sides: Partial<Record<TapSideName, SideDraft>> = {}
  let name: string | undefined
  let replyTimeoutMs: number | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (!arg.startsWith('--'))
      return err(`"${arg}" is not an option; every endpoint follows its side, e.g. ${sideFlags(family)}`)
    const value = args[i + 1]
    if (value === undefined) return err(`${arg} needs a value`)
    i++
    const flag = arg.slice(2)
    if (flag === 'name') name = value
    else if (flag === 'timeout') {
      if (family !== 'reqrep') return err('--timeout applies to reqrep taps only (requests wait for replies)')
      const ms = Number(value)
      if (!Number.isInteger(ms) || ms < 1 || ms > 3_600_000)
        return err(`--timeout ${value}: a whole number of milliseconds, 1 to 3600000`)
      replyTimeoutMs = ms
    } else {
      const role = Object.hasOwn(ROLES, flag) ? ROLES[flag] : undefined
      if (!role) return err(`unknown option ${arg} for a ${family} tap; its sides are ${sideFlags(family)}`)
      if (role.family !== family)
        return err(`a ${family} tap has ${sideFlags(family)}; ${arg} is a side of a ${role.family} tap`)
      const parsed = side(family, role.side, value)
      if (typeof parsed === 'string') return err(parsed)
      sides[role.side] = parsed
    }
  }
  const missing = TAP_SIDES.filter((s) => !sides[s]).map((s) => `--${TAP_SHAPES[family].roles[s]} <endpoint>`)
  if (missing.length > 0) return err(`tap ${family} needs ${missing.join(' and ')}`)
  return ok({
    kind: 'tap-create',
    request: tapRequest(
      family,
      { upstream: sides.upstream!, downstream: sides.downstream! },
      {
        ...(name !== undefined ? { name } : {}),
        ...(replyTimeoutMs !== undefined ? { replyTimeoutMs } : {}),
      },
    ),
  })
}

/** `tap …`: the words after "tap". */
export function parseTap(args: string[]): ParsedTap {
  const [first, ...rest] = args
  if (first === undefined) return err(`tap needs a family: ${TAP_FAMILIES.join(', ')}; try: help tap`)
  if (first === 'close') {
    if (rest.length !== 1) return err('tap close takes one argument: tap close <tap>')
    return ok({ kind: 'tap-close', tap: rest[0]! })
  }
  const family = first.toLowerCase()
  if (!isFamily(family)) {
    const word = first.replace(/^--/, '')
    const role = Object.hasOwn(ROLES, word) ? ROLES[word] : undefined
    const hint = role ? `; ${first} is a side of a ${role.family} tap: tap ${role.family} ${first} …` : ''
    return err(`unknown tap family "${first}": use ${TAP_FAMILIES.join(', ')}${hint}`)
  }
  return parseCreate(family, rest)
}

/** What Tab offers after "tap": families and "close", then the family's side flags. */
export function tapCompletions(words: string[]): string[] {
  if (words.length <= 2) return [...TAP_FAMILIES, 'close']
  const family = words[1]?.toLowerCase() ?? ''
  if (!isFamily(family)) return []
  return [
    ...TAP_SIDES.map((s) => `--${TAP_SHAPES[family].roles[s]}`),
    '--name',
    ...(family === 'reqrep' ? ['--timeout'] : []),
  ]
}

export function parseFlow(action: 'pause' | 'resume' | 'step', args: string[]): ParsedTap {
  if (args.length > 1) return err(`${action} takes at most one argument: ${action} [tap]`)
  return ok({ kind: 'tap-flow', action, ...(args[0] !== undefined ? { tap: args[0] } : {}) })
}
