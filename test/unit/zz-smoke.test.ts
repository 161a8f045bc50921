import assert from 'node:assert/strict'
import { it } from 'node:test'
import { dispatch } from '../../main/host/dispatch'
import { Channel } from '../../contract/channels'
import { bindAddress } from '../helpers/addresses'
import { newServices, txt } from '../helpers/probe'

it('smoke', async () => {
  const { services, engine, probe } = newServices({})
  const pull = engine.create('pull', 'inbox').id
  const address = (await engine.bind(pull, bindAddress('tcp'))).endpoints[0]!.address
  const push = engine.create('push').id
  const started = await dispatch(services, Channel.recordingStart, { scope: { kind: 'all' } })
  console.log(JSON.stringify(started).slice(0, 300))
  await engine.connect(push, address)
  for (let i = 0; i < 20000; i++) await engine.send(push, [txt(`${i}`), { enc: 'hex', data: '' }])
  await probe.receivedAtLeast(pull, 20000)
  const id = (started as any).value.recording.id
  const stopped = await dispatch(services, Channel.recordingStop, { recordingId: id })
  console.log(JSON.stringify(stopped))
  const files = await dispatch(services, Channel.recordingFiles, {})
  console.log(JSON.stringify(files))
  const name = (files as any).value.files[0].name
  const opened = await dispatch(services, Channel.recordingOpen, { file: { kind: 'folder', name } })
  console.log(JSON.stringify(opened).slice(0, 800))
  const src = (opened as any).value.recording.sourceId
  const page = await dispatch(services, Channel.recordingPage, { sourceId: src, from: 19990, limit: 5 })
  console.log(JSON.stringify(page).slice(0, 800))
  const fpage = await dispatch(services, Channel.recordingPage, { sourceId: src, from: 0, limit: 5, filter: { dir: 'in', text: { mode: 'regex', pattern: '^1999' } } })
  console.log(JSON.stringify(fpage).slice(0, 800))
  const d = await dispatch(services, Channel.recordingDensity, { sourceId: src, bins: 10 })
  console.log(JSON.stringify(d))
  const seek = await dispatch(services, Channel.recordingSeek, { sourceId: src, wall: (opened as any).value.recording.startWall + 50 })
  console.log(JSON.stringify(seek))
  assert.ok(true)
  await services.shutdown()
})
