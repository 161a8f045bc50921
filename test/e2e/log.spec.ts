// The message log: filter, select a message, read its frames through each decoder.
import { expect, shoot, test } from './fixtures'

test.use({ demo: true })

test('filter by topic or regex; a bad regex is explained', async ({ app }) => {
  const { page } = app
  const log = page.getByRole('grid', { name: 'Message log' })
  await expect(log.getByRole('row').first()).toBeVisible()
  await page.getByLabel('Filter messages').fill('10001')
  await expect(log.getByRole('row').first()).toContainText('10001')
  for (const text of await log.getByRole('row').allTextContents()) expect(text).toContain('10001')
  await page.getByLabel('Match').selectOption('regex')
  await page.getByLabel('Filter messages').fill('(')
  await expect(page.getByRole('alert')).toContainText(/regular expression/i)
  await page.getByLabel('Filter messages').fill('^10001 -?\\d+ \\d+$')
  await page.getByLabel('Filter by direction').selectOption('in')
  await expect(log.getByRole('row').first()).toContainText('← in')
  for (const text of await log.getByRole('row').allTextContents()) expect(text).toContain('← in')
})

test('selecting a message shows every frame, with text, hex and other decoders', async ({ app }, info) => {
  const { page } = app
  const row = page.getByRole('grid', { name: 'Message log' }).getByRole('row').filter({ hasText: '← in' }).first()
  await row.click()
  const details = page.getByRole('region', { name: 'Message details' })
  const frame = details.getByRole('group', { name: 'Frame 1' })
  await expect(frame).toContainText(/10001 -?\d+ \d+/)
  await frame.getByRole('radio', { name: 'hex' }).click()
  await expect(frame).toContainText(/00000000 {2}31 30 30 30 31 20/)
  await shoot(page, info, 'message-details-hex')
  await frame.getByRole('radio', { name: 'json' }).click()
  await expect(frame).toContainText('not JSON')
  await details.getByRole('button', { name: 'Close message details' }).click()
  await expect(details).toHaveCount(0)
})
