// The log's field filter on real traffic: JSON readings from a zeromq.js PUSH into a PULL of the app, filtered by
// an expression the engine evaluates (no rule needed for JSON); exactly the matching rows stay, a bad expression
// says where it is wrong, and text mode finds text in any frame, not only the first.
import * as zmq from 'zeromq'
import { expect, shoot, test } from './fixtures'
import { boundAddress, createSocket } from './ui'

test('a fields expression keeps exactly the matching rows; a bad one says where', async ({ app }, info) => {
  const { page } = app
  const push = new zmq.Push({ linger: 0 })
  try {
    const card = await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*', 'readings')
    push.connect(await boundAddress(card))
    const temps = [12, 31, -40, 30, 99, 31.5]
    for (const [i, temp] of temps.entries()) {
      await push.send([`station-${i}`, JSON.stringify({ temp, station: { id: i, name: `s${i}` } })])
    }
    const rows = page.getByRole('grid', { name: 'Message log' }).getByRole('row')
    await expect(rows).toHaveCount(temps.length)

    await page.getByLabel('Match').selectOption('fields')
    await page.getByLabel('Filter messages').fill('temp > 30')
    await expect(rows).toHaveCount(temps.filter((t) => t > 30).length)
    for (const text of await rows.allTextContents()) expect(text).toMatch(/station-(1|4|5)/)
    await page.getByLabel('Filter messages').fill('temp > 30 && station.name == "s4"')
    await expect(rows).toHaveCount(1)
    await expect(rows.first()).toContainText('station-4')
    await shoot(page, info, 'field-filter')

    await page.getByLabel('Filter messages').fill('temp >')
    await expect(page.getByRole('alert')).toContainText(/at \d+: expected/)
    // Text mode looks in every frame: the JSON is frame 2.
    await page.getByLabel('Match').selectOption('text')
    await page.getByLabel('Filter messages').fill('"s2"')
    await expect(rows).toHaveCount(1)
    await expect(rows.first()).toContainText('station-2')
  } finally {
    push.close()
  }
})
