// One engine and the pyzmq peers a test starts: made before each test, shut down and SIGKILLed after it.
import { afterEach, beforeEach } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import { newEngine, type Probe } from './probe'
import { PythonPeer } from './python-peer'

export interface EnginePerTest {
  /** This test's engine and probe (call inside a test or hook). */
  current(): { engine: Engine; probe: Probe }
  /** Starts a Debian pyzmq peer that is stopped after this test. */
  peer(script: string, args?: string[]): PythonPeer
}

export function enginePerTest(): EnginePerTest {
  let current: { engine: Engine; probe: Probe } | undefined
  let peers: PythonPeer[] = []
  beforeEach(() => {
    current = newEngine()
  })
  afterEach(async () => {
    await current?.engine.shutdown()
    await Promise.all(peers.map((p) => p.stop()))
    peers = []
  })
  return {
    current: () => current!,
    peer(script, args = []) {
      const started = new PythonPeer(script, args)
      peers.push(started)
      return started
    },
  }
}
