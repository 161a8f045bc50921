// An endpoint's state in a few words, the same on socket cards and on a tap's sides. Pure.
import type { EndpointStatus } from '../../contract/views'

export function statusText(status: EndpointStatus): string {
  switch (status.kind) {
    case 'connected':
      return status.peers > 1 ? `connected ×${status.peers}` : 'connected'
    case 'retrying':
      return `retrying (${status.intervalMs} ms)`
    case 'failed':
      return `failed: ${status.message}`
    default:
      return status.kind
  }
}
