// A tap as the contract shows it: its sides with where they listen or connect and what their sends are doing,
// what went each way (the sending side's own counters: nothing is counted twice), and capture drops.
import type { TapFamily, TapFlow, TapSideFlow, TapSideView, TapState, TapSummary } from '../../contract/taps'
import type { ManagedSocket } from './socket'
import type { TapPort } from './tap-port'
import type { SidePlan } from './tap-wiring'

export interface TapSide {
  plan: SidePlan
  socket: ManagedSocket
  port: TapPort
  address: string
  flow: TapSideFlow
}

export interface TapSummaryParts {
  tap: { id: string; name: string; family: TapFamily }
  state: TapState
  flow: TapFlow
  upstream: TapSide
  downstream: TapSide
  ringDrops(socketId: string): number
  inFlight: number
  rewiring: string
}

export function tapSummary(parts: TapSummaryParts): TapSummary {
  const { upstream, downstream } = parts
  return {
    id: parts.tap.id,
    name: parts.tap.name,
    family: parts.tap.family,
    state: parts.state,
    flow: parts.flow,
    upstream: sideView(upstream),
    downstream: sideView(downstream),
    forwarded: {
      down: { messages: downstream.socket.traffic.msgsOut, bytes: downstream.socket.traffic.bytesOut },
      up: { messages: upstream.socket.traffic.msgsOut, bytes: upstream.socket.traffic.bytesOut },
    },
    captureDrops: parts.ringDrops(upstream.port.socketId) + parts.ringDrops(downstream.port.socketId),
    inFlight: parts.inFlight,
    rewiring: parts.rewiring,
  }
}

function sideView(side: TapSide): TapSideView {
  return {
    side: side.plan.side,
    role: side.plan.role,
    socketId: side.port.socketId,
    socketType: side.plan.type,
    mode: side.plan.request.mode,
    requested: side.plan.request.endpoint,
    address: side.address,
    flow: side.flow,
  }
}
