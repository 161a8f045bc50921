// The new-socket form's options: what the typed fields ask libzmq for, per socket type.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  emptyOptionsForm,
  NUMBER_GROUPS,
  optionsFromForm,
  type OptionsForm,
} from '../../renderer/lib/socket-options-form'

const form = (patch: Partial<OptionsForm>): OptionsForm => ({ ...emptyOptionsForm(), ...patch })

describe('options form -> SocketOptions', () => {
  it('an untouched form asks for nothing: libzmq keeps every default', () => {
    for (const type of ['pub', 'sub', 'req', 'router', 'xpub'] as const)
      assert.deepEqual(optionsFromForm(emptyOptionsForm(), type), { kind: 'ok', options: {} })
  })

  it('sends only the numbers typed, as numbers; blank fields stay defaults', () => {
    const result = optionsFromForm(
      form({ numbers: { linger: '250', sendHighWaterMark: ' 5000 ', heartbeatInterval: '', reconnectInterval: '0' } }),
      'dealer',
    )
    assert.deepEqual(result, { kind: 'ok', options: { linger: 250, sendHighWaterMark: 5000, reconnectInterval: 0 } })
  })

  it('every number field maps to its own option', () => {
    const fields = NUMBER_GROUPS.flatMap((g) => g.fields)
    const numbers = Object.fromEntries(fields.map((f, i) => [f.option, String(i + 1)]))
    const result = optionsFromForm(form({ numbers }), 'pair')
    assert.equal(result.kind, 'ok')
    assert.deepEqual(
      result.kind === 'ok' ? result.options : {},
      Object.fromEntries(fields.map((f, i) => [f.option, i + 1])),
    )
  })

  it('a number that is not whole is refused by its field name', () => {
    assert.deepEqual(optionsFromForm(form({ numbers: { receiveHighWaterMark: '1.5' } }), 'pull'), {
      kind: 'invalid',
      message: 'Receive high-water mark must be a whole number',
    })
    assert.deepEqual(optionsFromForm(form({ numbers: { linger: 'soon' } }), 'push'), {
      kind: 'invalid',
      message: 'Linger must be a whole number',
    })
  })

  it('routing id and the queue switches apply to every type', () => {
    assert.deepEqual(optionsFromForm(form({ routingId: 'w1', conflate: true, immediate: true }), 'dealer'), {
      kind: 'ok',
      options: { routingId: 'w1', conflate: true, immediate: true },
    })
  })

  it('type-specific switches reach only their type, even if ticked before the type changed', () => {
    const ticked = form({ mandatory: true, handover: true, correlate: true, relaxed: true, verbosity: 'allSubs' })
    assert.deepEqual(optionsFromForm(ticked, 'router'), {
      kind: 'ok',
      options: { routerMandatory: true, routerHandover: true },
    })
    assert.deepEqual(optionsFromForm(ticked, 'req'), { kind: 'ok', options: { reqCorrelate: true, reqRelaxed: true } })
    assert.deepEqual(optionsFromForm(ticked, 'xpub'), { kind: 'ok', options: { xpubVerbosity: 'allSubs' } })
    assert.deepEqual(optionsFromForm(ticked, 'sub'), { kind: 'ok', options: {} })
  })

  it('security: CURVE and PLAIN roles carry exactly their keys or credentials', () => {
    const keys = { publicKey: 'P'.repeat(40), secretKey: 'S'.repeat(40), serverKey: 'K'.repeat(40) }
    const credentials = { username: 'ada', password: 'pw' }
    const all = { ...keys, ...credentials }
    assert.deepEqual(optionsFromForm(form({ ...all, security: 'curve-server' }), 'rep'), {
      kind: 'ok',
      options: { curve: { role: 'server', publicKey: keys.publicKey, secretKey: keys.secretKey } },
    })
    assert.deepEqual(optionsFromForm(form({ ...all, security: 'curve-client' }), 'req'), {
      kind: 'ok',
      options: { curve: { role: 'client', ...keys } },
    })
    assert.deepEqual(optionsFromForm(form({ ...all, security: 'plain-server' }), 'rep'), {
      kind: 'ok',
      options: { plain: { role: 'server' } },
    })
    assert.deepEqual(optionsFromForm(form({ ...all, security: 'plain-client' }), 'req'), {
      kind: 'ok',
      options: { plain: { role: 'client', ...credentials } },
    })
    assert.deepEqual(optionsFromForm(form({ ...all, security: 'none' }), 'req'), { kind: 'ok', options: {} })
  })
})
