// What only a running Electron can show: the page has the contract bridge and nothing else, and cannot
// navigate away or open windows. The browser host has no bridge at all (it talks over its WebSocket).
import { expect, test } from './fixtures'

test('the page sees only the contract API', async ({ app }) => {
  const { page, host } = app
  const globals = await page.evaluate(() => ({
    bridge:
      'zeroscope' in globalThis ? Object.keys((globalThis as unknown as { zeroscope: object }).zeroscope).sort() : null,
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
  }))
  expect(globals.require).toBe('undefined')
  expect(globals.process).toBe('undefined')
  expect(globals.bridge).toEqual(host === 'electron' ? ['host', 'invoke', 'onEvent'] : null)
})

test('the Electron window refuses navigation and new windows', async ({ app }) => {
  test.skip(app.host !== 'electron', 'Electron-only check (the browser host is a normal page)')
  const { page } = app
  const before = page.url()
  await page.evaluate(() => {
    ;(globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/'
  })
  expect(page.url()).toBe(before)
  const opened = await page.evaluate(() =>
    (globalThis as unknown as { open(url: string): unknown }).open('https://example.com/'),
  )
  expect(opened).toBeNull()
})
