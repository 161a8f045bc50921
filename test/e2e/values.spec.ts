// Values over time against the weather demo: the last-value-per-topic table, one row per zip code, updated in
// place; and a field of the feed plotted from a decoded message, the chart moving, paused and resumed.
import { expect, shoot, test } from './fixtures'

test.describe('values over time', () => {
  test.use({ demo: true })

  test('the last-value table: the weather feed by zip code, counts and values updating', async ({ app }, info) => {
    const { page } = app
    await page.getByRole('button', { name: 'Topics', exact: true }).click()
    const region = page.getByRole('region', { name: 'Last value per topic' })
    const table = region.getByRole('table', { name: 'Topics' })

    // Every socket: the publisher's many zip codes, and the subscriber's one.
    await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(3)

    // The subscriber filters on "10001": exactly that topic, with "<temperature> <humidity>" as its value.
    await region.getByLabel('Socket').selectOption({ label: 'weather client (10001)' })
    const rows = table.getByRole('row')
    await expect(rows).toHaveCount(2)
    const row = rows.filter({ has: page.getByRole('rowheader', { name: '10001', exact: true }) })
    await expect(row).toHaveCount(1)
    const cells = row.getByRole('cell')
    await expect(cells.nth(0)).toHaveText(/^-?\d+ \d+$/)
    const count = async (): Promise<number> => Number(await cells.nth(1).textContent())
    const first = await count()
    await expect.poll(count, { timeout: 10_000 }).toBeGreaterThan(first)
    // The demo favours 10001 (about 2 a second): a rate shows once whole seconds have passed.
    await expect(cells.nth(2)).toHaveText(/^\d+(\.\d)?$/, { timeout: 10_000 })
    await expect(cells.nth(3)).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/)
    await shoot(page, info, 'topic-values', region)
  })
})

test.describe('plots', () => {
  test.use({ demo: true })

  test('plot a field of the weather demo: the chart moves, pauses and resumes', async ({ app }, info) => {
    const { page } = app
    await page.setViewportSize({ width: 1400, height: 1000 })
    // A text-fields rule on the demo's subscriber: "10001 23 45" reads as zip, temp, humidity.
    await page.getByRole('button', { name: /^Decoders/ }).click()
    const panel = page.getByRole('dialog', { name: 'Decoders' })
    const form = panel.getByRole('form', { name: 'New decoder rule' })
    await form.getByLabel('Rule scope').selectOption('socket')
    await form.getByLabel('Rule socket').selectOption({ label: 'weather client (10001) (SUB)' })
    await form.getByLabel('Frame').fill('1')
    await form.getByLabel('Decoder').selectOption('fields')
    await form.getByLabel('Field names').fill('zip temp humidity')
    await form.getByRole('button', { name: 'Add rule' }).click()
    await expect(panel.getByRole('listitem', { name: /^Rule: / })).toContainText('as text fields')
    await panel.getByRole('button', { name: 'Close decoders' }).click()

    const row = page
      .getByRole('grid', { name: 'Message log' })
      .getByRole('row')
      .filter({ hasText: 'weather client' })
      .first()
    await row.click()
    const details = page.getByRole('region', { name: 'Message details' })
    await details.getByRole('button', { name: 'Plot temp' }).click()

    const chart = page.getByRole('figure', { name: 'Plot of temp' })
    await expect(chart).toBeVisible()
    const summary = async (): Promise<string> => {
      const id = (await chart.getAttribute('aria-describedby'))!
      return (await page.locator(`[id="${id}"]`).textContent()) ?? ''
    }
    const received = async (): Promise<number> => Number(/(\d+) points? received/.exec(await summary())?.[1] ?? 0)
    await expect.poll(received).toBeGreaterThan(0)
    const first = await received()
    await expect.poll(received).toBeGreaterThan(first)
    await shoot(page, info, 'plot-weather')

    await page.getByRole('button', { name: 'Pause temp' }).click()
    await expect.poll(summary).toMatch(/^Paused\./)
    await page.getByRole('button', { name: 'Resume temp' }).click()
    const resumed = await received()
    await expect.poll(received).toBeGreaterThan(resumed)
    await page.getByRole('button', { name: 'Remove plot temp' }).click()
    await expect(chart).toHaveCount(0)
  })
})
