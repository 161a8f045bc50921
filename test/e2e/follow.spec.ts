// Pausing the log: what arrives meanwhile is held and counted, never lost, and shown on resume.
import * as zmq from 'zeromq'
import { expect, test } from './fixtures'
import { boundAddress, createSocket } from './ui'

test('pause holds new messages while counters go on; resume shows every one, newest first', async ({ app }) => {
  const { page } = app
  const card = await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*', 'inbox')
  const push = new zmq.Push({ linger: 0 })
  try {
    push.connect(await boundAddress(card))
    const log = page.getByRole('grid', { name: 'Message log' })
    await push.send('before pause')
    await expect(log.getByRole('row').filter({ hasText: 'before pause' })).toHaveCount(1)
    await page.getByRole('button', { name: 'Pause' }).click()
    for (let i = 1; i <= 3; i++) await push.send(`held ${i}`)
    await expect(page.getByRole('button', { name: 'Resume (3 new)' })).toBeVisible()
    await expect(card).toContainText('in 4 · out 0')
    await expect(log.getByRole('row').filter({ hasText: 'held' })).toHaveCount(0)
    await page.getByRole('button', { name: 'Resume (3 new)' }).click()
    await expect(log.getByRole('row')).toHaveCount(4)
    await expect(log.getByRole('row').first()).toContainText('held 3')
    await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible()
  } finally {
    push.close()
  }
})
