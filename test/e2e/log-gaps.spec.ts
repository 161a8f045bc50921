// A burst faster than the engine streams (at most 2000 rows per 33 ms batch): the log says how many rows it did
// not get, and "load" fetches them from the engine's capture ring.
import * as zmq from 'zeromq'
import { expect, shoot, test } from './fixtures'
import { boundAddress, createSocket } from './ui'

const BURST = 50_000

test('rows not streamed in a burst are counted, and loading them fills the log', async ({ app }, info) => {
  const { page } = app
  const card = await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*', 'burst sink')
  const push = new zmq.Push({ linger: 0, sendHighWaterMark: BURST })
  try {
    push.connect(await boundAddress(card))
    for (let i = 0; i < BURST; i++) await push.send(`burst ${i}`)
    await expect(card).toContainText(`in ${BURST.toLocaleString('en-US')}`, { timeout: 20_000 })
    const notStreamed = page.getByRole('status', { name: 'Not streamed' })
    await expect(notStreamed).toContainText(/[\d,]+ not streamed/)
    const log = page.getByRole('region', { name: 'Live message log' })
    const missing = Number((await notStreamed.textContent())!.replace(/\D/g, ''))
    expect(missing).toBeGreaterThan(0)
    expect(missing).toBeLessThan(BURST)
    await shoot(page, info, 'log-gaps-not-streamed')

    await log.getByRole('button', { name: 'load' }).click()
    await expect(notStreamed).toBeHidden()
    // The ring (128 MiB) kept the whole burst: nothing is lost, every row is in the page.
    await expect(page.getByRole('status', { name: 'No longer in the ring' })).toBeHidden()
    await expect(log.locator('.toolbar .meta').first()).toHaveText(BURST.toLocaleString('en-US'))
    await shoot(page, info, 'log-gaps-loaded')
    await page.getByLabel('Filter messages').fill('burst 0')
    await expect(
      page
        .getByRole('grid', { name: 'Message log' })
        .getByRole('row')
        .filter({ hasText: /burst 0$/ }),
    ).toHaveCount(1)
  } finally {
    push.close()
  }
})
