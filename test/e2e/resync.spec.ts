// The engine owns sockets, counters and the capture: a reloaded page (or a new window) picks them up again.
import * as zmq from 'zeromq'
import { expect, test } from './fixtures'
import { boundAddress, createSocket, preset } from './ui'

test('after a reload the sockets, their counters and the log are all still there', async ({ app }) => {
  const { page } = app
  const card = await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*', 'survivor')
  const address = await boundAddress(card)
  const push = new zmq.Push({ linger: 0 })
  try {
    push.connect(address)
    for (let i = 1; i <= 3; i++) await push.send(`before reload ${i}`)
    await expect(card).toContainText('in 3')
    await page.reload()
    await expect(card).toContainText('in 3')
    const log = page.getByRole('grid', { name: 'Message log' })
    await expect(log.getByRole('row').filter({ hasText: 'before reload' })).toHaveCount(3)
    await push.send('after reload')
    await expect(log.getByRole('row').filter({ hasText: 'after reload' })).toContainText('survivor')
    await expect(card).toContainText('in 4')
  } finally {
    push.close()
  }
})

test('Export saves the capture with full frames to a file and says where', async ({ app }) => {
  test.skip(app.host === 'electron', 'the Electron host writes to the Documents folder; not touched by tests')
  const { page } = app
  await preset(page, 'Weather')
  await expect(page.getByRole('listitem', { name: 'Socket weather server' })).toContainText('PUB')
  await page.getByRole('button', { name: 'Export' }).click()
  const status = page.getByRole('status')
  await expect(status).toContainText(/saved \d+ messages to .*capture-.*\.jsonl/)
  const path = /to (\S+\.jsonl)/.exec((await status.textContent()) ?? '')![1]!
  const { readFileSync } = await import('node:fs')
  const first = JSON.parse(readFileSync(path, 'utf8').split('\n')[0]!) as { socket: string; frames: string[] }
  expect(first.socket).toMatch(/weather/)
  expect(Buffer.from(first.frames[0]!, 'base64').toString()).toMatch(/^\d+ -?\d+ \d+$/)
})
