// Workspaces from the UI, against real zeromq.js peers: save and reopen a setup (sockets, subscriptions, a saved
// message) after New closed it all; a workspace opened while its port is taken shows that endpoint failed, in
// red, and Retry binds it once the port is free; a saved message and a log row's Resend reach the receiving
// socket byte-exact; the filtered log exported as CSV; settings the host keeps, and the
// workspace opened, saved or cleared, seen by a second page.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import * as zmq from 'zeromq'
import { expect, shoot, test } from './fixtures'
import { createSocket, fillSocketForm, submitSocketForm } from './ui'

const log = (page: Page) => page.getByRole('grid', { name: 'Message log' })
const panel = (page: Page) => page.getByRole('dialog', { name: 'Workspace', exact: true })
const composer = (page: Page) => page.getByRole('form', { name: 'Composer' })
const saved = (page: Page) => page.getByRole('region', { name: 'Saved messages' })

async function openPanel(page: Page): Promise<Locator> {
  const toggle = page.getByRole('button', { name: /^Workspace / })
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
  await expect(panel(page)).toBeVisible()
  return panel(page)
}

async function saveAs(page: Page, name: string): Promise<void> {
  const box = await openPanel(page)
  await box.getByRole('textbox', { name: /Save/ }).fill(name)
  await box.getByRole('button', { name: 'Save under this name' }).click()
  await expect(box.getByRole('status')).toContainText(`${name}.zeroscope`)
}

/** New, confirmed: every socket closed. */
async function startNew(page: Page): Promise<void> {
  const box = await openPanel(page)
  await box.getByRole('button', { name: 'New', exact: true }).click()
  await box.getByRole('button', { name: 'Close all and start new' }).click()
  await expect(page.getByRole('region', { name: 'Open sockets' }).getByRole('listitem')).toHaveCount(0)
}

async function openNamed(page: Page, name: string): Promise<void> {
  const box = await openPanel(page)
  await box.getByRole('button', { name: `Open ${name}.zeroscope` }).click()
  await expect(box.getByRole('status')).toContainText(`opened`)
  await box.getByRole('button', { name: 'Close workspace panel' }).click()
}

/** Composer frames: text, then hex. */
async function compose(page: Page, frames: { enc: 'text' | 'hex'; data: string }[]): Promise<void> {
  const form = composer(page)
  for (const [i, frame] of frames.entries()) {
    if (i > 0) await form.getByRole('button', { name: '+ Frame' }).click()
    await form.getByLabel(`Frame ${i + 1} encoding`).selectOption(frame.enc)
    await form.getByLabel(`Frame ${i + 1}`, { exact: true }).fill(frame.data)
  }
}

const hex = (frames: Buffer[]) => frames.map((f) => f.toString('hex'))

test('save, New, open: sockets, subscriptions and a saved message come back and work', async ({ app }, info) => {
  const { page } = app
  const pull = new zmq.Pull({ linger: 0 })
  const xpub = new zmq.XPublisher({ linger: 0 })
  try {
    await pull.bind('tcp://127.0.0.1:*')
    await xpub.bind('tcp://127.0.0.1:*')
    await createSocket(page, 'push', 'connect', pull.lastEndpoint!, 'outbox')
    await fillSocketForm(page, {
      type: 'sub',
      mode: 'connect',
      endpoint: xpub.lastEndpoint!,
      name: 'ticker',
      subscribe: 'AAPL',
    })
    await submitSocketForm(page, 'ticker')
    expect(hex(await xpub.receive())).toEqual([Buffer.from('\x01AAPL').toString('hex')])

    // Saved from the composer, sent in one click.
    await composer(page).getByLabel('Send from socket').selectOption({ label: 'outbox (PUSH)' })
    await compose(page, [
      { enc: 'text', data: 'order {n}' },
      { enc: 'hex', data: 'ff00' },
    ])
    await composer(page).getByRole('button', { name: 'Save…' }).click()
    await composer(page).getByLabel('Saved message name').fill('order')
    await composer(page).getByRole('button', { name: 'Save message' }).click()
    await saved(page).getByRole('button', { name: 'Send order' }).click()
    expect(hex(await pull.receive())).toEqual([Buffer.from('order 1').toString('hex'), 'ff00'])
    await expect(saved(page)).toContainText('sent from outbox')

    const box = await openPanel(page)
    await box.getByRole('checkbox', { name: 'Save secrets too' }).check()
    await expect(box.getByRole('note')).toContainText(
      'CURVE secret keys and PLAIN passwords will be written to the file in clear text',
    )
    await shoot(page, info, 'workspace-secrets', box)
    await box.getByRole('checkbox', { name: 'Save secrets too' }).uncheck()
    await saveAs(page, 'e2e-setup')
    await expect(page.getByRole('button', { name: 'Workspace e2e-setup.zeroscope' })).toBeVisible()
    await shoot(page, info, 'workspace-panel')

    await startNew(page)
    await expect(saved(page)).toHaveCount(0)
    await expect(page.getByRole('button', { name: 'Workspace untitled' })).toBeVisible()
    // The SUB is gone: its subscription went with it.
    expect(hex(await xpub.receive())).toEqual([Buffer.from('\x00AAPL').toString('hex')])

    await openNamed(page, 'e2e-setup')
    await expect(page.getByRole('listitem', { name: 'Socket outbox' })).toContainText('connected')
    const ticker = page.getByRole('listitem', { name: 'Socket ticker' })
    await expect(ticker).toContainText('filters: AAPL')
    expect(hex(await xpub.receive())).toEqual([Buffer.from('\x01AAPL').toString('hex')])
    await xpub.send('MSFT 1')
    await xpub.send('AAPL 2')
    await expect(log(page).getByRole('row').filter({ hasText: 'AAPL 2' })).toContainText('ticker')
    await expect(log(page).getByRole('row').filter({ hasText: 'MSFT 1' })).toHaveCount(0)

    // The saved message came back with the workspace and still goes from outbox (a new socket id now).
    await expect(saved(page).getByRole('button', { name: 'Send order' })).toHaveAttribute('title', /^Send from outbox/)
    await saved(page).getByRole('button', { name: 'Send order' }).click()
    expect(hex(await pull.receive())).toEqual([Buffer.from('order 1').toString('hex'), 'ff00'])
    await shoot(page, info, 'workspace-reopened')

    // A reload takes the open workspace's saved messages from the host again.
    await page.reload()
    await expect(saved(page).getByRole('button', { name: 'Send order' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Workspace e2e-setup.zeroscope' })).toBeVisible()
  } finally {
    pull.close()
    xpub.close()
  }
})

test('a port taken when the workspace opens: the endpoint is failed, in red, and Retry binds it', async ({
  app,
}, info) => {
  const { page } = app
  // A port known to be free now: the kernel picks it, the probe lets it go.
  const probe = new zmq.Pull({ linger: 0 })
  await probe.bind('tcp://127.0.0.1:*')
  const address = probe.lastEndpoint!
  probe.close()
  const squatter = new zmq.Pull({ linger: 0 })
  try {
    await createSocket(page, 'pull', 'bind', address, 'inbox')
    await saveAs(page, 'busy-port')
    await startNew(page)
    await squatter.bind(address)

    await openNamed(page, 'busy-port')
    const problems = page.getByRole('region', { name: 'Workspace problems' })
    await expect(problems).toContainText('busy-port.zeroscope opened, but not everything as saved')
    await expect(problems).toContainText('inbox:')
    const card = page.getByRole('listitem', { name: 'Socket inbox' })
    await expect(card).toContainText('endpoint failed')
    const failed = card.getByRole('group', { name: `Failed endpoint ${address}` })
    await expect(failed).toContainText('failed')
    const red = await failed
      .locator('.why')
      .first()
      .evaluate((el) => getComputedStyle(el).color)
    const bad = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bad').trim())
    expect(red).toBe(
      await page.evaluate((c) => {
        const probe = document.createElement('span')
        probe.style.color = c
        document.body.append(probe)
        const color = getComputedStyle(probe).color
        probe.remove()
        return color
      }, bad),
    )

    // Still taken: Retry says so and the endpoint stays failed.
    await failed.getByRole('button', { name: 'Retry bind' }).click()
    await expect(failed.getByRole('alert')).toContainText('tried again:')
    await shoot(page, info, 'workspace-failed-endpoint')
    await squatter.unbind(address)
    await failed.getByRole('button', { name: 'Retry bind' }).click()
    await expect(card).toContainText('listening')
    await expect(card).not.toContainText('endpoint failed')
    await problems.getByRole('button', { name: 'Dismiss workspace problems' }).click()
    await expect(problems).toHaveCount(0)

    // Remove: a failed endpoint goes from the socket.
    await startNew(page)
    await squatter.bind(address)
    await openNamed(page, 'busy-port')
    await card
      .getByRole('group', { name: `Failed endpoint ${address}` })
      .getByRole('button', { name: 'Remove' })
      .click()
    await expect(card.getByRole('group', { name: `Failed endpoint ${address}` })).toHaveCount(0)
    await expect(card).not.toContainText(address)
  } finally {
    squatter.close()
  }
})

test('Resend on a log row loads its full frames into the composer; sent again they arrive byte-exact', async ({
  app,
}) => {
  const { page } = app
  const pull = new zmq.Pull({ linger: 0 })
  try {
    await pull.bind('tcp://127.0.0.1:*')
    await createSocket(page, 'push', 'connect', pull.lastEndpoint!, 'sender')
    const frames = [Buffer.from('job 7'), Buffer.from([0x00, 0xff, 0x0d, 0x0a]), Buffer.from('{"a": [1, 2]}')]
    await compose(page, [
      { enc: 'text', data: 'job 7' },
      { enc: 'hex', data: '00ff0d0a' },
      { enc: 'text', data: '{"a": [1, 2]}' },
    ])
    await composer(page).getByRole('button', { name: 'Send', exact: true }).click()
    expect(hex(await pull.receive())).toEqual(hex(frames))

    // A fresh composer, then Resend from the row's details.
    await compose(page, [{ enc: 'text', data: 'something else' }])
    await log(page).getByRole('row').filter({ hasText: 'job 7' }).click()
    const details = page.getByRole('region', { name: 'Message details' })
    await details.getByRole('button', { name: 'Resend' }).click()
    await expect(composer(page).getByLabel('Frame 1', { exact: true })).toHaveValue('job 7')
    await expect(composer(page).getByLabel('Frame 2 encoding')).toHaveValue('hex')
    await expect(composer(page).getByLabel('Frame 3', { exact: true })).toHaveValue('{"a": [1, 2]}')
    await composer(page).getByRole('button', { name: 'Send', exact: true }).click()
    expect(hex(await pull.receive())).toEqual(hex(frames))

    // And its frames to files, one a frame.
    await details.getByRole('button', { name: 'Save frames to files' }).click()
    const where = details.getByText(/^3 files in /)
    await expect(where).toBeVisible()
    const folder = (await where.getAttribute('title'))!
    const files = [1, 2, 3].map((n) => readFileSync(join(folder, `frame-${n}.bin`)))
    expect(hex(files)).toEqual(hex(frames))
  } finally {
    pull.close()
  }
})

test('Export: the filtered view as CSV, one row per message, frames as columns', async ({ app }, info) => {
  const { page } = app
  const push = new zmq.Push({ linger: 0 })
  try {
    const card = await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*', 'sink')
    push.connect((await card.locator('code').first().textContent())!.trim())
    await push.send(['keep 1', Buffer.from([0x00, 0xff])])
    await push.send(['drop 2', 'x'])
    await push.send(['keep, "3"', 'plain'])
    await expect(log(page).getByRole('row')).toHaveCount(3)
    await page.getByLabel('Filter messages').fill('keep')
    await expect(log(page).getByRole('row')).toHaveCount(2)

    await page.getByRole('button', { name: 'Format and scope' }).click()
    const choices = page.getByRole('dialog', { name: 'What to write' })
    await choices.getByRole('radio', { name: /^CSV/ }).check()
    await expect(choices.getByRole('radio', { name: /what the filter shows/ })).toBeChecked()
    await shoot(page, info, 'export-choices')
    await choices.getByRole('button', { name: 'Write the file' }).click()
    const status = page.getByRole('region', { name: 'Live message log' }).getByRole('status')
    await expect(status).toContainText(/saved 2 messages to \S+\.csv/)
    const path = /to (\S+\.csv)/.exec((await status.textContent()) ?? '')![1]!
    const lines = readFileSync(path, 'utf8').trimEnd().split('\r\n')
    expect(lines[0]).toBe('id,time,socket,socket_id,dir,size,peer,frame_count,frame_1,frame_2')
    const rows = lines.slice(1).map((line) => line.split(','))
    expect(rows).toHaveLength(2)
    expect(rows.map((r) => [r[2], r[4], r[7]])).toEqual([
      ['sink', 'in', '2'],
      ['sink', 'in', '2'],
    ])
    expect(lines[1]!.endsWith(',keep 1,0x00ff')).toBe(true)
    expect(lines[2]!.endsWith(',"keep, ""3""",plain')).toBe(true)
    await shoot(page, info, 'export-done')
  } finally {
    push.close()
  }
})

test('settings live on the host: a second page gets the sidebar width and the reopen choice', async ({ app }) => {
  test.skip(app.host === 'electron', 'Electron has one window; the browser host serves any number of pages')
  const { page } = app
  const splitter = page.getByRole('separator', { name: 'Resize sidebar' })
  const before = Number(await splitter.getAttribute('aria-valuenow'))
  await splitter.focus()
  await page.keyboard.press('ArrowRight')
  await expect(splitter).toHaveAttribute('aria-valuenow', String(before + 40))
  const box = await openPanel(page)
  await box.getByRole('checkbox', { name: 'Reopen the last workspace on start' }).check()

  const other = await page.context().browser()!.newPage()
  try {
    await other.goto(page.url())
    await expect(other.getByRole('separator', { name: 'Resize sidebar' })).toHaveAttribute(
      'aria-valuenow',
      String(before + 40),
    )
    await expect(other.getByRole('button', { name: 'Workspace untitled' })).toBeEnabled()
    const otherBox = await openPanel(other)
    await expect(otherBox.getByRole('checkbox', { name: 'Reopen the last workspace on start' })).toBeChecked()
    // A change on one page reaches the other as it happens.
    await other.getByRole('separator', { name: 'Resize sidebar' }).focus()
    await other.keyboard.press('ArrowLeft')
    await expect(splitter).toHaveAttribute('aria-valuenow', String(before))

    // A workspace saved, then cleared, on one page: the other's title follows each, without a reload.
    await box.getByRole('button', { name: 'Close workspace panel' }).click()
    await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*', 'shared')
    await saveAs(page, 'seen-elsewhere')
    await expect(other.getByRole('button', { name: 'Workspace seen-elsewhere.zeroscope' })).toBeVisible()
    await startNew(page)
    await expect(other.getByRole('button', { name: 'Workspace untitled' })).toBeVisible()
    await expect(other.getByRole('listitem', { name: 'Socket shared' })).toHaveCount(0)
  } finally {
    await other.close()
  }
})
