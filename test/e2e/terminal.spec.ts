// The terminal pane: a real shell, the inspector console, and both working against real ZeroMQ peers.
import { fileURLToPath } from 'node:url'
import { PYTHON } from '../helpers/python-peer'
import { expect, shoot, test } from './fixtures'
import { screen, typeInto } from './ui'

const HWSERVER = fileURLToPath(new URL('../fixtures/python/hwserver.py', import.meta.url))

test.describe('the real login shell', () => {
  // The one spec on the user's own login shell and profile; every other spec runs a hermetic shell.
  test.use({ loginShell: true })
  test('a shell tab runs commands', async ({ app }) => {
    const { page } = app
    await page.getByRole('button', { name: '▸ Terminal' }).click()
    await expect(page.getByRole('tab', { name: /shell 1/ })).toBeVisible()
    await typeInto(page, 'shell 1', 'echo "hel""lo"')
    await expect.poll(screen(page, 'shell 1')).toMatch(/^hello$/m)
  })
})

test('pyzmq server in the shell, REQ from the console: the reply shows in the console and the log', async ({
  app,
}, info) => {
  const { page } = app
  await page.getByRole('button', { name: '▸ Terminal' }).click()
  await typeInto(page, 'shell 1', `${PYTHON} -u ${HWSERVER}`)
  const shell = screen(page, 'shell 1')
  await expect.poll(shell).toMatch(/^port \d+$/m)
  const port = /^port (\d+)$/m.exec(await shell())![1]

  await page.getByRole('button', { name: '+ Console' }).click()
  await typeInto(page, 'console 2', `req tcp://127.0.0.1:${port}`)
  const console = screen(page, 'console 2')
  await expect.poll(console).toContain('req1 (s')
  await typeInto(page, 'console 2', 'send req1 Hello')
  await expect.poll(console).toMatch(/req1 ← World/)
  await shoot(page, info, 'console')
  // xterm pauses drawing a hidden tab; look at the shell again to read what the server printed meanwhile.
  await page.getByRole('tab', { name: /shell 1/ }).click()
  await expect.poll(shell).toContain('served 1 Hello')
  const log = page.getByRole('grid', { name: 'Message log' })
  await expect(log.getByRole('row').filter({ hasText: 'World' })).toContainText('req1')

  await typeInto(page, 'console 2', 'frobnicate')
  await expect.poll(console).toContain('error: unknown command "frobnicate"')
})

test('resizing the pane changes the size the shell sees', async ({ app }) => {
  const { page } = app
  await page.getByRole('button', { name: '▸ Terminal' }).click()
  await typeInto(page, 'shell 1', 'stty size')
  const shell = screen(page, 'shell 1')
  await expect.poll(shell).toMatch(/^\d+ \d+$/m)
  const before = Number(/^(\d+) \d+$/m.exec(await shell())![1])
  const separator = page.getByRole('separator', { name: 'Resize terminal pane' })
  await separator.focus()
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowUp')
  await typeInto(page, 'shell 1', 'clear; stty size')
  await expect.poll(async () => Number(/^(\d+) \d+$/m.exec(await shell())?.[1] ?? before)).toBeGreaterThan(before)
})
