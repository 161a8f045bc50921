// Recordings from the UI, on real sockets of the app: record a PUSH -> PULL exchange of two-frame messages, stop,
// find the file in the recordings list, open it as a read-only log (rows in time order from the engine, the
// timeline, jump to a time), find a message with the filter and read its full frames and diff, then replay the
// received messages into another socket of the app and watch them arrive in the live log. And a recording whose
// host process was killed mid-way shows as unfinished and opens recovered.
import { once } from 'node:events'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, shoot, startServeHost, stopServeHost, test } from './fixtures'
import { CHROMIUM_ARGS, chromiumExecutable } from './hosts'
import { compose, fileRow, openRecording, showRecordings, startRecording, stopRecording } from './recording-ui'
import { boundAddress, createSocket } from './ui'

const MESSAGES = 40
const log = (page: Page) => page.getByRole('grid', { name: 'Message log' })

test('record from the UI, open the recording, find a message and its frames, replay it into a socket', async ({
  app,
}, info) => {
  const { page } = app
  await page.setViewportSize({ width: 1400, height: 900 })
  const sink = await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*', 'orders in')
  const source = await createSocket(page, 'push', 'connect', await boundAddress(sink), 'orders out')
  await expect(source).toContainText('connected')

  const status = await startRecording(page, { chosen: ['orders in', 'orders out'], name: 'e2e orders' }, (form) =>
    shoot(page, info, 'rec-form', form),
  )
  await compose(page, 'orders out (PUSH)', ['order {n}', 'payload-{n}'], MESSAGES, 50)
  // Every message is recorded twice: sent by the PUSH, received by the PULL.
  await expect(status).toContainText(`${2 * MESSAGES} msgs`)
  await shoot(page, info, 'rec-status', page.locator('header'))
  await stopRecording(page)

  const list = await showRecordings(page)
  const row = fileRow(list, 'e2e orders.mcap')
  await expect(row).toContainText('complete')
  await shoot(page, info, 'rec-list', list)
  if (app.host === 'browser') {
    // The browser host serves the folder's files to the page (token cookie): the download is the MCAP file.
    const download = page.waitForEvent('download')
    await row.getByRole('link', { name: 'Download e2e orders.mcap' }).click()
    const file = await (await download).path()
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('\x89MCAP')
  } else {
    await expect(row.getByRole('link', { name: /^Download/ })).toHaveCount(0)
  }

  const banner = await openRecording(page, 'e2e orders.mcap')
  await expect(banner).toContainText(`${2 * MESSAGES} messages`)
  await expect(list).toHaveCount(0)
  // Time order, oldest first: message 1 left the PUSH before anything else happened.
  const rows = log(page).getByRole('row')
  await expect(rows.nth(0)).toContainText(/orders out\s*→ out.*order 1 \| payload-1$/)
  await expect(rows.nth(10)).toBeVisible()
  const times = await rows.evaluateAll((all) => all.map((r) => r.firstElementChild?.textContent ?? ''))
  expect(times).toEqual([...times].sort())
  await expect(log(page)).toHaveAttribute('aria-rowcount', String(2 * MESSAGES))
  const timeline = page.getByRole('slider', { name: 'Timeline' })
  await expect(timeline).toHaveAttribute('aria-valuenow', '0')
  await shoot(page, info, 'rec-view')
  // A reload finds the recording the host still has open.
  await page.reload()
  await expect(banner).toContainText(`${2 * MESSAGES} messages`)
  await expect(banner).toContainText('e2e orders.mcap')
  await expect(rows.nth(0)).toContainText('order 1 | payload-1')

  // The timeline: a click three quarters along jumps there, "jump to time" back to the start.
  const box = (await timeline.boundingBox())!
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height / 2)
  await expect(rows.first()).not.toContainText('order 1 |')
  await expect.poll(async () => Number(await timeline.getAttribute('aria-valuenow'))).toBeGreaterThan(40)
  await page.getByLabel('Jump to time').fill('+0s')
  await page.getByRole('button', { name: 'Jump', exact: true }).click()
  await expect(rows.first()).toContainText('order 1 | payload-1')
  await page.getByLabel('Jump to time').fill('25:00')
  await page.getByRole('button', { name: 'Jump', exact: true }).click()
  await expect(page.getByRole('alert')).toContainText('25:00 is not a time of day')

  // The filter runs in the engine: one match, received by the PULL, with its full frames and the diff.
  await page.getByLabel('Filter messages').fill('order 17')
  await page.getByLabel('Filter by direction').selectOption('in')
  const found = page.getByRole('status', { name: 'Recording rows' })
  await expect(found).toContainText(`1 match in ${2 * MESSAGES} messages`)
  await expect(rows).toHaveCount(1)
  await rows.first().click()
  const details = page.getByRole('region', { name: 'Message details' })
  await expect(details.getByRole('group', { name: 'Frame 1' })).toContainText('order 17')
  await expect(details.getByRole('group', { name: 'Frame 2' })).toContainText('payload-17')
  await details.getByRole('group', { name: 'Frame 2' }).getByRole('radio', { name: 'hex' }).click()
  await expect(details.getByRole('group', { name: 'Frame 2' })).toContainText('70 61 79 6c 6f 61 64 2d 31 37')
  // The previous message of its socket and topic ("order"), read from the file for the diff: order 16.
  const diff = details.getByRole('note', { name: 'Difference from the previous message' })
  await expect(diff).toContainText(/vs #\d+/)
  await expect(diff.locator('mark').first()).toHaveText('17')
  await shoot(page, info, 'rec-filtered')

  // Export works on the recording as on live capture: what the filter shows, read from the file by the host.
  await page.getByRole('button', { name: 'Format and scope' }).click()
  const choices = page.getByRole('dialog', { name: 'What to write' })
  await expect(choices.getByRole('radio', { name: /what the filter shows/ })).toBeChecked()
  await choices.getByRole('button', { name: 'Write the file' }).click()
  const exported = page.getByRole('status').filter({ hasText: /saved 1 message/ })
  await expect(exported).toContainText('.jsonl')
  await shoot(page, info, 'rec-exported')
  const path = /to (\S+\.jsonl)/.exec((await exported.textContent()) ?? '')![1]!
  const line = JSON.parse(readFileSync(path, 'utf8')) as { frames: string[]; dir: string; socket: string }
  expect([line.socket, line.dir]).toEqual(['orders in', 'in'])
  expect(line.frames.map((f) => Buffer.from(f, 'base64').toString())).toEqual(['order 17', 'payload-17'])

  // Replay what the filter shows with the text cleared: the 40 received messages, from a new PUSH of the app
  // into a PULL of the app.
  await page.getByLabel('Filter messages').fill('')
  await expect(found).toContainText(`${MESSAGES} matches in ${2 * MESSAGES} messages`)
  await banner.getByRole('button', { name: 'Back to live' }).click()
  const replayed = await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*', 'replayed')
  const replayAddress = await boundAddress(replayed)
  await page.getByRole('note', { name: 'Opened recording' }).getByRole('button', { name: 'Show recording' }).click()
  await expect(found).toContainText(`${MESSAGES} matches`)
  await banner.getByRole('button', { name: 'Replay…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Replay recording' })
  await dialog.getByRole('radio', { name: 'a new socket' }).check()
  await dialog.getByLabel('Type of the new socket').selectOption('push')
  await dialog.getByLabel('New socket binds or connects').selectOption('connect')
  await dialog.getByLabel('New socket address').fill(replayAddress)
  await dialog.getByRole('radio', { name: 'as fast as possible' }).check()
  await dialog.getByRole('checkbox', { name: /only what the filter shows/ }).check()
  await expect(dialog).toContainText('← in')
  await shoot(page, info, 'rec-replay-dialog', dialog)
  await dialog.getByRole('button', { name: 'Start replay' }).click()
  await expect(dialog).toHaveCount(0)
  const progress = banner.getByRole('status', { name: 'Replay' })
  await expect(progress).toContainText(`${MESSAGES} / ${MESSAGES}`)
  await expect(progress).toContainText('done')
  await shoot(page, info, 'rec-replayed', banner)

  await banner.getByRole('button', { name: 'Back to live' }).click()
  await page.getByLabel('Filter by socket').selectOption({ label: 'replayed' })
  await page.getByLabel('Filter by direction').selectOption('in')
  await expect(log(page)).toHaveAttribute('aria-rowcount', String(MESSAGES))
  // Newest first in the live log: the last replayed message on top, frames byte for byte as recorded.
  await expect(log(page).getByRole('row').first()).toContainText(`order ${MESSAGES} | payload-${MESSAGES}`)
})

test('a recording whose host was killed shows as unfinished and opens recovered, up to its last flush', async ({
  hostKind,
  playwright,
}, info) => {
  test.skip(
    hostKind === 'electron',
    'kills the browser host process; the Electron app has no host apart from its window',
  )
  // Both hosts record into the same folder: the second finds what the first left behind.
  const env = { ZEROSCOPE_RECORDINGS_DIR: mkdtempSync(join(tmpdir(), 'zs-e2e-killed-')) }
  const browser = await playwright.chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS })
  const first = await startServeHost(false, false, env)
  let second: Awaited<ReturnType<typeof startServeHost>> | undefined
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await page.goto(first.url)
    const sink = await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*', 'kept in')
    const source = await createSocket(page, 'push', 'connect', await boundAddress(sink), 'kept out')
    await expect(source).toContainText('connected')
    const status = await startRecording(page, { name: 'killed' })
    await compose(page, 'kept out (PUSH)', ['kept {n}'], 20, 100)
    // Killed only once every message is in a flushed chunk: the file then holds all 40.
    await expect(status).toHaveAttribute('title', /^40 of 40 messages on disk/)
    first.child.kill('SIGKILL')
    await once(first.child, 'exit')

    second = await startServeHost(false, false, env)
    await page.goto(second.url)
    const list = await showRecordings(page)
    await expect(fileRow(list, 'killed.mcap')).toContainText('unfinished — opens with recovery')
    await shoot(page, info, 'rec-list-unfinished', list)
    const banner = await openRecording(page, 'killed.mcap')
    await expect(banner.getByRole('note')).toHaveText('recovered from an unfinished file (40 messages)')
    await expect(banner).toContainText('40 messages')
    await expect(log(page).getByRole('row').first()).toContainText('kept 1')
    await page.getByLabel('Filter messages').fill('kept 20')
    await expect(page.getByRole('status', { name: 'Recording rows' })).toContainText('2 matches in 40 messages')
    await shoot(page, info, 'rec-view-recovered', banner)
  } finally {
    await browser.close()
    if (first.child.exitCode === null && first.child.signalCode === null) await stopServeHost(first.child)
    if (second) await stopServeHost(second.child)
  }
})
