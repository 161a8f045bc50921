// The spine end to end: the real UI, a real engine behind a real host, real ZeroMQ peers in this process.
import * as zmq from 'zeromq'
import { expect, test } from './fixtures'
import { boundAddress, createSocket } from './ui'

test('create a socket in the UI, and a message from a real peer shows up in the log', async ({ app }) => {
  const { page } = app
  await expect(page.getByText('libzmq')).toBeVisible()
  const card = await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*', 'inbox')
  const address = await boundAddress(card)
  expect(address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/)

  const push = new zmq.Push({ linger: 0 })
  try {
    push.connect(address)
    await push.send(['hello from a real peer', Buffer.from([0xff, 0x00, 0xfe])])
    const log = page.getByRole('grid', { name: 'Message log' })
    const row = log.getByRole('row').filter({ hasText: 'hello from a real peer' })
    await expect(row).toContainText('inbox')
    await expect(row).toContainText('0xff00fe')
    await expect(card).toContainText('in 1')
  } finally {
    push.close()
  }
})

test('send from the composer reaches a real peer and is logged as outgoing', async ({ app }) => {
  const { page } = app
  const pull = new zmq.Pull({ linger: 0 })
  try {
    await pull.bind('tcp://127.0.0.1:*')
    const card = await createSocket(page, 'push', 'connect', pull.lastEndpoint!, 'outbox')
    await expect(card).toContainText('connected')
    await page.getByLabel('Frame 1', { exact: true }).fill('task 1')
    await page.getByRole('button', { name: 'Send' }).click()
    const [frame] = await pull.receive()
    expect(frame!.toString()).toBe('task 1')
    await expect(
      page.getByRole('grid', { name: 'Message log' }).getByRole('row').filter({ hasText: 'task 1' }),
    ).toContainText('out')
  } finally {
    pull.close()
  }
})

test('an invalid endpoint or option is explained inline and cannot be submitted', async ({ app }) => {
  const { page } = app
  await page.getByLabel('Socket type').selectOption('req')
  await page.getByLabel('Bind or connect').selectOption('connect')
  await page.getByLabel('Endpoint').fill('tcp://*:5555')
  await expect(page.getByRole('alert')).toContainText('only makes sense for bind')
  await page.getByLabel('Endpoint').fill('tcp://localhost:5555')
  await page.getByText('Options').click()
  await page.getByLabel('Linger').fill('soon')
  await expect(page.getByRole('alert')).toContainText('Linger must be a whole number')
  await expect(page.getByRole('button', { name: 'Create socket' })).toBeDisabled()
})

test.describe('first start', () => {
  test.use({ demo: true })

  test('the weather demo is live: publisher, filtered subscriber, updates in the log', async ({ app }) => {
    const { page } = app
    await expect(page.getByRole('listitem', { name: 'Socket weather server' })).toContainText('PUB')
    const client = page.getByRole('listitem', { name: 'Socket weather client (10001)' })
    await expect(client).toContainText('connected')
    const inbound = page.getByRole('grid', { name: 'Message log' }).getByRole('row').filter({ hasText: '← in' })
    await expect(inbound.first()).toContainText(/10001 -?\d+ \d+/)
  })
})

test('About names the app version, libzmq and zeromq.js capabilities', async ({ app }) => {
  const { page } = app
  await page.getByRole('button', { name: 'About' }).click()
  const about = page.getByRole('dialog', { name: 'About ZeroScope' })
  await expect(about).toContainText(/ZeroScope \d+\.\d+\.\d+/)
  await expect(about).toContainText(/libzmq 4\.\d+\.\d+/)
  await expect(about).toContainText('curve ✓')
})
