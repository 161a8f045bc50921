// A socket's endpoints: bind, connect, unbind and disconnect on the libzmq socket with the checks libzmq does
// not make, what the user asked for beside what libzmq resolved it to (a wildcard port becomes a real one),
// and each endpoint's status as the socket monitor reports it.
import type * as zmq from 'zeromq'
import type { EndpointMode } from '../../contract/endpoint'
import type { EndpointStatus, EndpointView } from '../../contract/views'
import { EngineError, fromZmq } from './errors'
import { nextStatus, type MonitorEvent } from './events'
import { checkIpcBind, type IpcBindPlan } from './ipc-path'
import { assertResolvable } from './resolve'

/** tcp://[::1]:5555, tcp://[fe80::1%eth0];[::1]:5555, udp://[::1]:5555: a bracketed host in either part. */
const IPV6_ENDPOINT = /^(?:tcp|udp):\/\/[^[]*\[/

interface Endpoint {
  requested: string
  address: string
  mode: EndpointMode
  status: EndpointStatus
}

export class Endpoints {
  private readonly list: Endpoint[] = []
  /** zeromq.js refuses receive/send (EBUSY) while a bind or unbind is in flight; both wait for this. */
  settled: Promise<void> = Promise.resolve()
  /** Binds and unbinds in flight: the receive loop awaits `settled` only while this is above zero. */
  inFlight = 0

  constructor(
    private readonly zmq: zmq.Socket,
    /** The socket's own check, made again after every await: it may have closed meanwhile. */
    private readonly assertOpen: () => void,
  ) {}

  /** Endpoints in use (bound, connected or connecting); one recorded as failed is not. */
  get size(): number {
    return this.list.filter((e) => e.status.kind !== 'failed').length
  }

  /**
   * Keeps an endpoint that could not be made (a workspace opened while its port is taken) in the list as failed,
   * with the reason, so the socket shows what it should have and the user can retry or remove it.
   */
  recordFailure(requested: string, mode: EndpointMode, message: string): void {
    this.dropFailed(requested, mode)
    this.list.push({ requested, address: requested, mode, status: { kind: 'failed', message } })
  }

  /** Binds; returns the resolved address and what the ipc guard found at the path. */
  async bind(endpoint: string): Promise<{ address: string; plan: IpcBindPlan }> {
    if (this.has(endpoint, 'bind')) throw new EngineError('NOT_ALLOWED', `${endpoint} is already bound on this socket`)
    const plan = await checkIpcBind(endpoint)
    this.assertOpen()
    this.enableIpv6For(endpoint)
    try {
      await this.settleAfter(this.zmq.bind(endpoint))
    } catch (error) {
      throw fromZmq(`bind ${endpoint}`, error, {
        ENOENT: 'the directory of the ipc path does not exist (libzmq does not create it)',
      })
    }
    // lastEndpoint resolves wildcards (tcp://127.0.0.1:* -> the real port), which peers need to connect.
    const address = this.zmq.lastEndpoint ?? endpoint
    this.dropFailed(endpoint, 'bind')
    this.list.push({ requested: endpoint, address, mode: 'bind', status: { kind: 'listening' } })
    return { address, plan }
  }

  async connect(endpoint: string): Promise<void> {
    if (this.has(endpoint, 'connect')) throw new EngineError('NOT_ALLOWED', `already connected to ${endpoint}`)
    // libzmq accepts any host name and retries for ever when it cannot be resolved; say so up front.
    await assertResolvable(endpoint)
    this.assertOpen()
    this.enableIpv6For(endpoint)
    try {
      this.zmq.connect(endpoint)
    } catch (error) {
      throw fromZmq(`connect ${endpoint}`, error)
    }
    this.dropFailed(endpoint, 'connect')
    this.list.push({ requested: endpoint, address: endpoint, mode: 'connect', status: { kind: 'connecting' } })
  }

  async unbind(endpoint: string, socketName: string): Promise<void> {
    const found = this.find(endpoint, 'bind', socketName)
    if (found.status.kind === 'failed') return this.dropFailed(found.requested, 'bind')
    try {
      await this.settleAfter(this.zmq.unbind(found.address))
    } catch (error) {
      throw fromZmq(`unbind ${endpoint}`, error)
    }
    this.list.splice(this.list.indexOf(found), 1)
  }

  disconnect(endpoint: string, socketName: string): void {
    const found = this.find(endpoint, 'connect', socketName)
    if (found.status.kind === 'failed') return this.dropFailed(found.requested, 'connect')
    try {
      this.zmq.disconnect(found.address)
    } catch (error) {
      throw fromZmq(`disconnect ${endpoint}`, error)
    }
    this.list.splice(this.list.indexOf(found), 1)
  }

  /** Applies a monitor event to the endpoint it names; returns whether a status changed. */
  applyMonitor(event: MonitorEvent): boolean {
    // A failed endpoint is not on the socket: events for its address belong to a later bind or connect of it.
    const live = this.list.filter((e) => e.status.kind !== 'failed')
    const endpoint = live.find((e) => e.address === event.address) ?? live.find((e) => e.requested === event.address)
    if (!endpoint) return false
    const status = nextStatus(endpoint.status, event)
    if (!status) return false
    endpoint.status = status
    return true
  }

  view(): EndpointView[] {
    return this.list.map((e): EndpointView => ({ ...e }))
  }

  /** Peers connected over all endpoints, as far as the monitor has told. */
  peers(): number {
    let peers = 0
    for (const e of this.list) if (e.status.kind === 'connected') peers += e.status.peers
    return peers
  }

  private has(requested: string, mode: EndpointMode): boolean {
    return this.list.some((e) => e.requested === requested && e.mode === mode && e.status.kind !== 'failed')
  }

  private dropFailed(requested: string, mode: EndpointMode): void {
    const i = this.list.findIndex((e) => e.requested === requested && e.mode === mode && e.status.kind === 'failed')
    if (i >= 0) this.list.splice(i, 1)
  }

  private find(endpoint: string, mode: EndpointMode, socketName: string): Endpoint {
    this.assertOpen()
    const found = this.list.find((e) => e.mode === mode && (e.requested === endpoint || e.address === endpoint))
    if (!found) {
      const verb = mode === 'bind' ? 'bound' : 'connected'
      throw new EngineError('NOT_ALLOWED', `${endpoint} is not ${verb} on ${socketName}`)
    }
    return found
  }

  /** libzmq refuses a bracketed IPv6 host unless the socket's ipv6 option is on; it also keeps IPv4 working. */
  private enableIpv6For(endpoint: string): void {
    if (IPV6_ENDPOINT.test(endpoint) && !this.zmq.ipv6) this.zmq.ipv6 = true
  }

  private settleAfter(operation: Promise<void>): Promise<void> {
    this.inFlight++
    this.settled = operation.then(
      () => void this.inFlight--,
      () => void this.inFlight--,
    )
    return operation
  }
}
