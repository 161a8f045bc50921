// Monitor events become timeline entries and endpoint statuses.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import { bindAddress } from '../helpers/addresses'
import { newEngine, type Probe } from '../helpers/probe'

let engine: Engine
let probe: Probe
beforeEach(() => ({ engine, probe } = newEngine()))
afterEach(() => engine.shutdown())

for (const transport of ['tcp', 'ipc'] as const) {
  describe(`monitor over ${transport}`, () => {
    it('shows bind, accept, connect and handshake, then disconnect when the peer goes away', async () => {
      const router = engine.create('router').id
      const address = (await engine.bind(router, bindAddress(transport))).endpoints[0]!.address
      const dealer = engine.create('dealer').id
      await engine.connect(dealer, address)
      await probe.timelineAtLeast(dealer, 'handshake')
      await probe.timelineAtLeast(router, 'accept')
      assert.equal(probe.eventsOf(router, 'bind')[0]!.address, address)
      assert.equal(probe.eventsOf(dealer, 'connect')[0]!.address, address)
      const connected = engine.list().find((s) => s.id === dealer)!.endpoints[0]!.status
      assert.deepEqual(connected, { kind: 'connected', peers: 1 })

      await engine.close(router)
      await probe.timelineAtLeast(dealer, 'disconnect')
      await probe.until(() => probe.sockets.find((s) => s.id === dealer)?.endpoints[0]?.status.kind !== 'connected')
      const after = engine.list().find((s) => s.id === dealer)!.endpoints[0]!.status.kind
      assert.ok(['disconnected', 'retrying', 'connecting'].includes(after), after)
    })

    it('a connect to nobody shows retries with their interval', async () => {
      const ghost = bindAddress(transport)
      const target = transport === 'tcp' ? 'tcp://127.0.0.1:1' : ghost
      const dealer = engine.create('dealer', undefined, { reconnectInterval: 20 }).id
      await engine.connect(dealer, target)
      await probe.timelineAtLeast(dealer, 'connect:retry')
      // libzmq adds up to one interval of random jitter to each retry.
      const interval = probe.eventsOf(dealer, 'connect:retry')[0]!.intervalMs!
      assert.ok(interval >= 20 && interval < 40, String(interval))
      await probe.until(() => probe.sockets.find((s) => s.id === dealer)?.endpoints[0]?.status.kind === 'retrying')
    })
  })
}
