// A browser host that goes away and comes back: the page says so, shows nothing as live meanwhile, and
// reconnects by itself (no reload) to whatever host answers on the same port with the same token.
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer } from 'node:net'
import type { Browser, Locator } from '@playwright/test'
import { expect, shoot, startServeHost, stopServeHost, test } from './fixtures'
import { CHROMIUM_ARGS, chromiumExecutable } from './hosts'
import { createSocket, screen, typeInto } from './ui'

interface Host {
  url: string
  child: ChildProcessWithoutNullStreams
}

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

/** A host on `port` (the same one each time) with `token`, as the page will find it on reconnecting. */
const startHost = (port: number, token: string, demo: boolean): Promise<Host> =>
  startServeHost(demo, false, { ZEROSCOPE_TOKEN: token }, port)

const stopHost = (host: Host): Promise<void> => stopServeHost(host.child)

/** The colour an element would have with `var(--ok)`: the green that means "live". */
async function statusColours(card: Locator): Promise<{ status: string; ok: string }> {
  return card
    .locator('.status')
    .first()
    .evaluate((element) => {
      const probe = document.createElement('span')
      probe.style.color = 'var(--ok)'
      document.body.append(probe)
      const ok = getComputedStyle(probe).color
      probe.remove()
      return { status: getComputedStyle(element).color, ok }
    })
}

test('the page reconnects by itself to a restarted host, and shows nothing as live while it is gone', async ({
  hostKind,
  playwright,
}, info) => {
  test.skip(hostKind !== 'browser', 'only the browser host has a link that can drop')
  test.setTimeout(90_000)
  const port = await freePort()
  const token = randomBytes(24).toString('base64url')
  const hosts: Host[] = []
  let browser: Browser | undefined
  try {
    const first = await startHost(port, token, false)
    hosts.push(first)
    browser = await playwright.chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS })
    const page = await browser.newPage()
    await page.goto(first.url)
    // Marks this document: it must be the same one at the end, reconnected rather than reloaded.
    await page.evaluate(() => ((globalThis as unknown as { zsMark: number }).zsMark = 1))

    const card = await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*', 'before the restart')
    await expect(card.locator('.status')).toHaveText('listening')
    const live = await statusColours(card)
    expect(live.status).toBe(live.ok)
    // A shell (a pty in the host, which dies with it) and a console (in this page, which stays).
    await page.getByRole('button', { name: '▸ Terminal' }).click()
    await expect(page.getByRole('tab', { name: /shell 1/ })).toBeVisible()
    await page.getByRole('button', { name: '+ Console' }).click()

    await stopHost(first)
    const banner = page.getByRole('status', { name: 'Connection' })
    await expect(banner).toContainText(/connection lost — reconnecting (in \d+s|now) \(attempt \d+\)/)
    await expect(page.getByText(/does not answer|dropped/).first()).toBeVisible()
    await expect(card.locator('.status')).toHaveText('unknown — host unreachable')
    await expect(card).not.toContainText('listening')
    const lost = await statusColours(card)
    expect(lost.status).not.toBe(lost.ok)
    await expect(card).toContainText('rate unknown')
    // The forms keep what they knew: the type list does not go blank, the controls are off.
    const type = page.getByLabel('Socket type')
    expect(await type.locator('option').count()).toBeGreaterThan(5)
    await expect(type).not.toHaveValue('')
    await expect(page.getByRole('button', { name: 'Create socket' })).toBeDisabled()
    // A request made meanwhile is answered at once, and says why.
    await typeInto(page, 'console 2', 'stats')
    await expect.poll(screen(page, 'console 2')).toContain('error: not connected to the ZeroScope host')
    await shoot(page, info, 'reconnect-lost')

    // A host on the same port with another token refuses the page: it says so, and keeps trying.
    const impostor = await startHost(port, randomBytes(24).toString('base64url'), false)
    hosts.push(impostor)
    await expect(page.getByText(/refused the connection \(HTTP 401: missing or wrong token\)/)).toBeVisible({
      timeout: 15_000,
    })
    await expect(banner).toBeVisible()
    await stopHost(impostor)

    // The host is back with its token (a new engine: the weather demo, not the old socket).
    const second = await startHost(port, token, true)
    hosts.push(second)
    await expect(banner).toBeHidden({ timeout: 20_000 })
    await expect(page.getByRole('listitem', { name: 'Socket weather server' }).locator('.status')).toHaveText(
      /listening|connected/,
    )
    await expect(page.getByRole('listitem', { name: 'Socket weather client (10001)' })).toContainText('connected')
    await expect(page.getByRole('listitem', { name: 'Socket before the restart' })).toHaveCount(0)
    const inbound = page.getByRole('grid', { name: 'Message log' }).getByRole('row').filter({ hasText: '← in' })
    await expect(inbound.first()).toContainText(/10001 -?\d+ \d+/)
    await expect(page.getByText('libzmq')).toBeVisible()
    expect(await page.evaluate(() => (globalThis as unknown as { zsMark?: number }).zsMark)).toBe(1)
    await page.getByRole('tab', { name: /shell 1/ }).click()
    await expect.poll(screen(page, 'shell 1')).toContain('[this shell is gone: the host restarted]')
    await shoot(page, info, 'reconnect-back')
  } finally {
    await browser?.close()
    for (const host of hosts) await stopHost(host)
  }
})
