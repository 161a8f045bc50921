// What a new socket is made of: from the form's fields, and from an existing socket ("duplicate").
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SocketSummary } from '../../contract/views'
import { duplicateSpec, specFromForm, splitEndpoints } from '../../renderer/lib/socket-spec'

describe('socket specs', () => {
  it('splits endpoints on spaces and commas, ignoring runs and ends', () => {
    assert.deepEqual(splitEndpoints(' tcp://a:1,  ipc:///tmp/x ,inproc://y '), [
      'tcp://a:1',
      'ipc:///tmp/x',
      'inproc://y',
    ])
    assert.deepEqual(splitEndpoints('   '), [])
  })

  it('from the form: a trimmed name if any, the subscription only for SUB and XSUB', () => {
    const base = { name: '  feed ', mode: 'connect' as const, endpoint: 'tcp://a:1 tcp://b:2', subscribe: '10001' }
    assert.deepEqual(specFromForm({ ...base, type: 'sub' }), {
      type: 'sub',
      name: 'feed',
      mode: 'connect',
      endpoints: ['tcp://a:1', 'tcp://b:2'],
      subscriptions: [{ enc: 'text', data: '10001' }],
    })
    assert.deepEqual(specFromForm({ ...base, type: 'pull', name: ' ', options: { linger: 0 } }), {
      type: 'pull',
      options: { linger: 0 },
      mode: 'connect',
      endpoints: ['tcp://a:1', 'tcp://b:2'],
      subscriptions: [],
    })
  })

  it('a duplicate keeps type, filters and connect endpoints, but not the binds', () => {
    const socket = {
      type: 'sub',
      name: 'quotes',
      endpoints: [
        { mode: 'connect', requested: 'tcp://localhost:5556', address: 'tcp://localhost:5556' },
        { mode: 'bind', requested: 'tcp://*:6000', address: 'tcp://0.0.0.0:6000' },
      ],
      subscriptions: [
        { hex: '3130', text: '10' },
        { hex: '00ff', text: null },
      ],
    } as unknown as SocketSummary
    assert.deepEqual(duplicateSpec(socket), {
      type: 'sub',
      name: 'quotes copy',
      mode: 'connect',
      endpoints: ['tcp://localhost:5556'],
      subscriptions: [
        { enc: 'text', data: '10' },
        { enc: 'hex', data: '00ff' },
      ],
    })
    assert.equal(duplicateSpec({ ...socket, name: 'n'.repeat(120) }).name!.length, 120)
  })
})
