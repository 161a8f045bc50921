// The remaining views, driven like a user would, with a screenshot of each in dark and light (test artifacts,
// under test-results/; looked at, committed nowhere).
import * as zmq from 'zeromq'
import { expect, shoot, test } from './fixtures'
import { boundAddress, fillSocketForm, preset, submitSocketForm } from './ui'

test('subscriber view: topic tree, filter test, rate chart, and the diff with the previous update', async ({
  app,
}, info) => {
  const { page } = app
  await preset(page, 'Weather')
  await page.getByRole('button', { name: 'Details of weather client (10001)' }).click()
  const details = page.getByRole('region', { name: 'Details of weather client (10001)' })
  await expect(details.getByRole('list', { name: 'Topics of weather client (10001)' })).toContainText('10001')
  await details.getByLabel('Test a message against the filters').fill('10001 50 20')
  await expect(details.getByRole('status', { name: 'Filter test result' })).toContainText('passes: matches "10001"')
  await details.getByLabel('Test a message against the filters').fill('94105 50 20')
  await expect(details.getByRole('status', { name: 'Filter test result' })).toContainText('dropped')
  await expect(
    page.getByRole('img', { name: /weather server: messages per second over the last minute, peak [1-9]\d/ }),
  ).toBeVisible({ timeout: 10_000 })
  const inbound = page.getByRole('grid', { name: 'Message log' }).getByRole('row').filter({ hasText: 'weather client' })
  await expect(inbound)
    .toHaveCount(2, { timeout: 15_000 })
    .catch(() => {})
  await inbound.first().click()
  await expect(page.getByRole('note', { name: 'Difference from the previous message' })).toContainText('10001')
  await shoot(page, info, 'subscriber')
})

test('XPUB view: downstream subscriptions as they come and go', async ({ app }, info) => {
  const { page } = app
  await fillSocketForm(page, { type: 'xpub', mode: 'bind', endpoint: 'tcp://127.0.0.1:*', name: 'hub' })
  await page.getByText('Options').click()
  await page.getByLabel('XPUB verbosity').selectOption('allSubsUnsubs')
  const card = await submitSocketForm(page, 'hub')
  await expect(card).toContainText('listening')
  const address = await boundAddress(card)
  await page.getByRole('button', { name: 'Details of hub' }).click()
  const table = page.getByRole('table', { name: 'Downstream subscriptions' })
  const a = new zmq.Subscriber({ linger: 0 })
  const b = new zmq.Subscriber({ linger: 0 })
  try {
    a.subscribe('prices.')
    b.subscribe('prices.')
    b.subscribe('news.')
    a.connect(address)
    b.connect(address)
    await expect(table.getByRole('row').filter({ hasText: 'prices.' })).toContainText('2')
    await expect(table.getByRole('row').filter({ hasText: 'news.' })).toContainText('1')
    await shoot(page, info, 'xpub')
    b.unsubscribe('news.')
    await expect(table.getByRole('row').filter({ hasText: 'news.' })).toHaveCount(0)
  } finally {
    a.close()
    b.close()
  }
})

test('the sidebar can be resized and keeps its width after a reload', async ({ app }, info) => {
  const { page } = app
  const splitter = page.getByRole('separator', { name: 'Resize sidebar' })
  const before = Number(await splitter.getAttribute('aria-valuenow'))
  await splitter.focus()
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  await expect(splitter).toHaveAttribute('aria-valuenow', String(before + 80))
  await page.reload()
  await expect(page.getByRole('separator', { name: 'Resize sidebar' })).toHaveAttribute(
    'aria-valuenow',
    String(before + 80),
  )
  await preset(page, 'Pipeline')
  await page.getByRole('button', { name: 'Details of ventilator' }).click()
  await page.getByRole('button', { name: '▸ Terminal' }).click()
  await expect(page.getByRole('list', { name: 'Messages per worker' })).toBeVisible()
  await shoot(page, info, 'pipeline-terminal')
})
