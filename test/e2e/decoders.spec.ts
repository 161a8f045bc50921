// Decoders from the UI, on a real socket of the app: load a .proto through the Decoders panel (a broken one first:
// its parse error shows beside the loader and nothing else changes), add a protobuf rule for a PULL made in the
// UI, send real protobuf bytes into it from a zeromq.js PUSH, and read the decoded tree in the message details;
// a frame that is not that message shows the decoder's error and its raw bytes.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import protobuf from 'protobufjs'
import * as zmq from 'zeromq'
import { expect, shoot, test } from './fixtures'
import { boundAddress, createSocket } from './ui'

const DEMO_PROTO = `syntax = "proto3";
package demo;
message Reading {
  string station = 1;
  int32 temp = 2;
}
`
const BROKEN_PROTO = `syntax = "proto3";
package demo;
message Broken { string x = ; }
`

test('load a .proto and see a decoded tree; a bad .proto and a frame that is not the message say why', async ({
  app,
}, info) => {
  const { page } = app
  await page.setViewportSize({ width: 1400, height: 900 })
  const folder = mkdtempSync(join(tmpdir(), 'zs-e2e-proto-'))
  writeFileSync(join(folder, 'demo.proto'), DEMO_PROTO)
  writeFileSync(join(folder, 'broken.proto'), BROKEN_PROTO)

  const pull = await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*', 'readings in')
  const address = await boundAddress(pull)

  await page.getByRole('button', { name: /^Decoders/ }).click()
  const panel = page.getByRole('dialog', { name: 'Decoders' })
  const loader = panel.getByLabel('Load .proto file')

  // A .proto that does not parse: the error beside the loader, no schema listed, the panel still works.
  await loader.setInputFiles(join(folder, 'broken.proto'))
  const problem = panel.getByRole('alert', { name: 'Schema problem' })
  await expect(problem).toContainText('could not load broken.proto')
  await expect(problem).toContainText('broken.proto')
  await expect(panel.getByRole('listitem', { name: /^Schema / })).toHaveCount(0)
  await shoot(page, info, 'decoders-bad-proto', panel)

  await loader.setInputFiles(join(folder, 'demo.proto'))
  await expect(panel.getByRole('status')).toContainText('loaded demo.proto: 1 message type')
  await expect(problem).toHaveCount(0)
  await expect(panel.getByRole('listitem', { name: 'Schema demo.proto' })).toContainText('demo.Reading')

  // The form says what is missing at the field: frame 0 does not exist (frames count from 1).
  const form = panel.getByRole('form', { name: 'New decoder rule' })
  await form.getByLabel('Rule scope').selectOption('socket')
  await form.getByLabel('Rule socket').selectOption({ label: 'readings in (PULL)' })
  await form.getByLabel('Frame').fill('0')
  await form.getByLabel('Decoder').selectOption('protobuf')
  await expect(form.getByLabel('Message type')).toHaveValue('demo.Reading')
  await form.getByRole('button', { name: 'Add rule' }).click()
  await expect(form).toContainText('frames count from 1 (the first); -1 is the last')
  await expect(form.getByLabel('Frame')).toHaveAttribute('aria-invalid', 'true')
  await form.getByLabel('Frame').fill('1')
  await expect(form).not.toContainText('frames count from 1')
  await form.getByRole('button', { name: 'Add rule' }).click()
  const rule = panel.getByRole('listitem', { name: /^Rule: / })
  await expect(rule).toHaveText(/socket readings in, any topic, frame 1 as protobuf demo\.Reading/)
  await expect(page.getByRole('button', { name: 'Decoders (1)' })).toBeVisible()

  // A schema a rule decodes with stays, saying why.
  await panel.getByRole('button', { name: 'Remove demo.proto' }).click()
  await expect(panel.getByRole('listitem', { name: 'Schema demo.proto' }).getByRole('alert')).toContainText(
    'remove them first',
  )
  await shoot(page, info, 'decoders-panel', panel)
  await panel.getByRole('button', { name: 'Close decoders' }).click()
  await expect(panel).toHaveCount(0)
  // The rules live in the engine: a reload (or a reconnect) lists them again.
  await page.reload()
  await expect(page.getByRole('button', { name: 'Decoders (1)' })).toBeVisible()

  const Reading = protobuf.parse(DEMO_PROTO).root.lookupType('demo.Reading')
  const push = new zmq.Push({ linger: 0 })
  try {
    push.connect(address)
    await push.send(Buffer.from(Reading.encode({ station: 'Hamburg', temp: -3 }).finish()))
    await push.send('not a reading')
  } finally {
    push.close()
  }

  const log = page.getByRole('grid', { name: 'Message log' })
  // Binary frames preview as hex: 0a 07 "Hamburg"…
  await log.getByRole('row').filter({ hasText: '0x0a0748616d62757267' }).click()
  const details = page.getByRole('region', { name: 'Message details' })
  const tree = details.getByRole('list', { name: 'Decoded frame 1' })
  await expect(details.getByRole('region', { name: 'Decoded frame 1' })).toContainText(
    'frame 1 · socket readings in, any topic, frame 1 as protobuf demo.Reading',
  )
  await expect(tree.getByRole('listitem').filter({ hasText: 'station' })).toContainText('"Hamburg"')
  await expect(tree.getByRole('listitem').filter({ hasText: 'temp' })).toContainText('-3')
  // Numbers offer Plot (the plot panel is elsewhere; the engine takes the plot).
  await expect(tree.getByRole('button', { name: 'Plot station' })).toHaveCount(0)
  await tree.getByRole('button', { name: 'Plot temp' }).click()
  await expect(details.getByRole('status')).toContainText('plotting')
  // The raw frame is still there below the decode.
  await expect(details.getByRole('group', { name: 'Frame 1' })).toBeVisible()
  await shoot(page, info, 'decoders-tree', details)

  await log.getByRole('row').filter({ hasText: 'not a reading' }).click()
  const failed = details.getByRole('region', { name: 'Decoded frame 1' })
  await expect(failed).toContainText('not a demo.Reading')
  await expect(failed.getByLabel('Raw bytes of frame 1')).toContainText('6e 6f 74 20 61 20 72 65')
  await shoot(page, info, 'decoders-failed', details)

  // The rule removed, the schema may go; the message details show the raw frames only.
  await page.getByRole('button', { name: 'Decoders (1)' }).click()
  await panel.getByRole('button', { name: /^Remove rule: / }).click()
  await expect(rule).toHaveCount(0)
  await panel.getByRole('button', { name: 'Remove demo.proto' }).click()
  await expect(panel.getByRole('listitem', { name: 'Schema demo.proto' })).toHaveCount(0)
  await expect(details.getByRole('group', { name: 'Decoded frames' })).toHaveCount(0)
})
