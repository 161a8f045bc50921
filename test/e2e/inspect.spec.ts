// Per-socket details: worker distribution, live filters, the event timeline; and REQ's lockstep explained.
import * as zmq from 'zeromq'
import { expect, shoot, test } from './fixtures'
import { boundAddress, createSocket, fillSocketForm, preset, submitSocketForm } from './ui'

test('the pipeline preset shows how the ventilator spreads tasks over its workers', async ({ app }) => {
  const { page } = app
  await preset(page, 'Pipeline')
  await page.getByRole('button', { name: 'Details of ventilator' }).click()
  const bars = page.getByRole('list', { name: 'Messages per worker' }).getByRole('listitem')
  await expect(bars).toHaveCount(2)
  await expect(bars.nth(0)).toContainText(/worker 1 tasks\s*[1-9]/)
  await expect(bars.nth(1)).toContainText(/worker 2 tasks\s*[1-9]/)
  await expect(page.getByLabel('Fairness index')).toHaveText(/^(0\.9\d|1\.00)$/)
})

test('changing a subscriber filter changes what arrives', async ({ app }) => {
  const { page } = app
  await preset(page, 'Weather')
  await page.getByRole('button', { name: 'Details of weather client (10001)' }).click()
  const details = page.getByRole('region', { name: 'Details of weather client (10001)' })
  // Unsubscribe first, then subscribe: both travel up one pipe in order, so once the new filter lets a
  // message through, the old one is gone too.
  await details.getByRole('button', { name: 'Remove filter 10001' }).click()
  await details.getByLabel('New filter prefix').fill('ZS-TEST')
  await details.getByRole('button', { name: 'Add filter' }).click()
  await expect(page.getByRole('listitem', { name: 'Socket weather client (10001)' })).toContainText('filters: ZS-TEST')
  const composer = page.getByRole('form', { name: 'Composer' })
  const publish = async (text: string, times: number): Promise<void> => {
    await composer.getByLabel('Send from socket').selectOption({ label: 'weather server (PUB)' })
    await composer.getByLabel('Frame 1', { exact: true }).fill(text)
    await composer.getByLabel('Times').fill(String(times))
    await composer.getByRole('button', { name: 'Send' }).click()
    await expect(composer.getByRole('button', { name: 'Send' })).toBeEnabled()
  }
  const log = page.getByRole('grid', { name: 'Message log' })
  await page.getByLabel('Filter by socket').selectOption({ label: 'weather client (10001)' })
  // PUB gives no sign when a subscription has reached it: publish a few until one gets through.
  await publish('ZS-TEST sync {n}', 20)
  await expect(log.getByRole('row').filter({ hasText: 'ZS-TEST sync' }).first()).toContainText('← in')
  await publish('10001 dropped-now', 1)
  await publish('ZS-TEST after', 1)
  await expect(log.getByRole('row').filter({ hasText: 'ZS-TEST after' })).toContainText('← in')
  await expect(log.getByRole('row').filter({ hasText: 'dropped-now' })).toHaveCount(0)
})

test('the event timeline shows a peer connecting and going away', async ({ app }) => {
  const { page } = app
  await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*', 'watched')
  const card = page.getByRole('listitem', { name: 'Socket watched' })
  await expect(card).toContainText('listening')
  const address = await boundAddress(card)
  await page.getByRole('button', { name: 'Details of watched' }).click()
  const timeline = page.getByRole('list', { name: 'Events of watched' })
  const push = new zmq.Push({ linger: 0 })
  push.connect(address)
  await expect(timeline).toContainText('accept')
  await expect(card).toContainText('connected')
  push.close()
  await expect(timeline).toContainText('disconnect')
})

test('a REQ that sends twice gets an explanation, not a crash', async ({ app }) => {
  const { page } = app
  const silent = new zmq.Reply({ linger: 0 })
  try {
    await silent.bind('tcp://127.0.0.1:*')
    await createSocket(page, 'req', 'connect', silent.lastEndpoint!, 'asker')
    await expect(page.getByRole('listitem', { name: 'Socket asker' })).toContainText('connected')
    await page.getByLabel('Send from socket').selectOption({ label: 'asker (REQ)' })
    await page.getByLabel('Frame 1', { exact: true }).fill('one')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect(page.getByRole('listitem', { name: 'Socket asker' })).toContainText('awaits reply')
    await page.getByLabel('Frame 1', { exact: true }).fill('two')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect(page.getByRole('form', { name: 'Composer' }).getByRole('alert')).toContainText(
      'REQ must receive the reply',
    )
    await expect(page.getByText('REQ is waiting for its reply')).toBeVisible()
  } finally {
    silent.close()
  }
})

test('CURVE from the form: generated keys secure a connection from a real client', async ({ app }, info) => {
  const { page } = app
  await fillSocketForm(page, { type: 'rep', mode: 'bind', endpoint: 'tcp://127.0.0.1:*', name: 'vault' })
  await page.getByText('Options').click()
  await page.getByLabel('Security mechanism').selectOption('curve-server')
  await page.getByRole('button', { name: 'Generate key pair' }).click()
  await expect(page.getByLabel('CURVE public key')).toHaveValue(/^.{40}$/)
  const serverKey = await page.getByLabel('CURVE public key').inputValue()
  await shoot(page, info, 'new-socket-options')
  const card = await submitSocketForm(page, 'vault')
  await expect(card).toContainText('listening')
  const address = await boundAddress(card)
  const keys = zmq.curveKeyPair()
  const client = new zmq.Request({
    linger: 0,
    curveServerKey: serverKey,
    curvePublicKey: keys.publicKey,
    curveSecretKey: keys.secretKey,
  })
  try {
    client.connect(address)
    await client.send('over curve')
    await expect(
      page.getByRole('grid', { name: 'Message log' }).getByRole('row').filter({ hasText: 'over curve' }),
    ).toContainText('vault')
  } finally {
    client.close()
  }
})

test('rename and duplicate a socket from its details', async ({ app }) => {
  const { page } = app
  await createSocket(page, 'sub', 'connect', 'tcp://127.0.0.1:5999', 'feed')
  await page.getByRole('button', { name: 'Details of feed' }).click()
  await page.getByLabel('New name').fill('quotes feed')
  await page.getByRole('button', { name: 'Rename' }).click()
  const card = page.getByRole('listitem', { name: 'Socket quotes feed' })
  await expect(card).toBeVisible()
  await page.getByRole('button', { name: 'Duplicate' }).click()
  await expect(page.getByRole('listitem', { name: 'Socket quotes feed copy' })).toContainText('tcp://127.0.0.1:5999')
})

test('at the sink, the work is counted by a field of the results, and events show message counts', async ({ app }) => {
  const { page } = app
  await preset(page, 'Pipeline')
  await page.getByRole('button', { name: 'Details of sink' }).click()
  const shares = page.getByRole('list', { name: 'Messages per field value' }).getByRole('listitem')
  await expect(shares).toHaveCount(2)
  await expect(shares.filter({ hasText: /^1/ })).toContainText(/[1-9]/)
  await expect(page.getByRole('list', { name: 'Events of sink' })).toContainText(/\d+ messages since/)
})

test('a socket can have several endpoints, given at once', async ({ app }) => {
  const { page } = app
  await createSocket(page, 'pull', 'bind', 'tcp://127.0.0.1:*, inproc://several-endpoints', 'two doors')
  const card = page.getByRole('listitem', { name: 'Socket two doors' })
  await expect(card.locator('code')).toHaveCount(2)
  await expect(card).toContainText('inproc://several-endpoints')
})
