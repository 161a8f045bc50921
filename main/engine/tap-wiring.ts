// How a tap meets the user's processes: each side's plan from the request, the check that its two sides would
// not simply talk to each other, and the one sentence that tells the user where to point what.
import type { TapCreateRequest, TapSideRequest } from '../../contract/schemas'
import { TAP_SHAPES, type TapFamily, type TapSideName, type TapSocketType } from '../../contract/taps'
import { EngineError } from './errors'

export interface SidePlan {
  side: TapSideName
  role: string
  type: TapSocketType
  request: TapSideRequest
}

export function sidePlans(request: TapCreateRequest): Record<TapSideName, SidePlan> {
  const shape = TAP_SHAPES[request.family]
  const plan = (side: TapSideName): SidePlan => {
    const role = shape.roles[side]
    return {
      side,
      role,
      type: shape.socketTypes[side],
      request: (request as unknown as Record<string, TapSideRequest>)[role]!,
    }
  }
  return { upstream: plan('upstream'), downstream: plan('downstream') }
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '0.0.0.0', '*', '::1', '[::1]', '[::]', '::'])

/** transport://host:port -> its parts; ipc and inproc keep the whole path as `host`. */
function parts(endpoint: string): { transport: string; host: string; port: string } {
  const match = /^([a-z]+):\/\/(.*)$/.exec(endpoint)
  if (!match) return { transport: '', host: endpoint, port: '' }
  const [, transport = '', rest = ''] = match
  if (transport !== 'tcp' && transport !== 'udp') return { transport, host: rest, port: '' }
  const at = rest.lastIndexOf(':')
  return { transport, host: rest.slice(0, at).replace(/^.*;/, ''), port: rest.slice(at + 1) }
}

/** Whether connecting to `target` reaches what is bound at `bound` (an address libzmq resolved). */
export function reaches(target: string, bound: string): boolean {
  const t = parts(target)
  const b = parts(bound)
  if (t.transport !== b.transport) return false
  if (t.port === '') return t.host === b.host
  if (t.port !== b.port) return false
  return t.host === b.host || (LOCAL_HOSTS.has(b.host) && LOCAL_HOSTS.has(t.host))
}

/** Refuses a tap whose sides would only talk to each other, before it connects anything. */
export function assertNoSelfLoop(
  family: TapFamily,
  plans: Record<TapSideName, SidePlan>,
  bound: Partial<Record<TapSideName, string>>,
): void {
  const { upstream, downstream } = plans
  const loop = (why: string): never => {
    throw new EngineError(
      'NOT_ALLOWED',
      `the ${upstream.role} side and the ${downstream.role} side of this ${family} tap ${why}: it would forward its own ` +
        'traffic to itself; point one side at your process instead',
    )
  }
  if (upstream.request.mode === 'connect' && downstream.request.mode === 'connect') {
    if (upstream.request.endpoint === downstream.request.endpoint) loop(`both connect to ${upstream.request.endpoint}`)
    return
  }
  for (const [connecting, binding] of [
    [upstream, downstream],
    [downstream, upstream],
  ] as const) {
    const address = bound[binding.side]
    if (
      connecting.request.mode === 'connect' &&
      address !== undefined &&
      reaches(connecting.request.endpoint, address)
    ) {
      loop(`would connect to each other (${connecting.request.endpoint} is where the ${binding.role} side binds)`)
    }
  }
}

/** tcp://0.0.0.0:5555 is where clients connect as tcp://127.0.0.1:5555 (or this machine's address). */
function connectable(address: string): string {
  return address.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://[::1]:')
}

export function rewiringSentence(plans: Record<TapSideName, SidePlan>, addresses: Record<TapSideName, string>): string {
  const say = (plan: SidePlan): string =>
    plan.request.mode === 'bind'
      ? `point your ${plan.role} at ${connectable(addresses[plan.side])}`
      : `the tap connects to your ${plan.role} at ${plan.request.endpoint}`
  return `${say(plans.upstream)}; ${say(plans.downstream)}`
}
