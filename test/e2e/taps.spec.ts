// Tap mode from the UI, against Debian pyzmq peers on both sides of every tap: each family made from the form
// and its traffic in the log with the way it went (a pipeline has only one way: PUSH never receives); a
// request/reply tap's latency histogram filling and each request selecting its reply; pause holding (captured,
// not forwarded), step forwarding one, resume delivering the rest in order; the form's and the console's words.
import type { Page } from '@playwright/test'
import { PythonPeer } from '../helpers/python-peer'
import { expect, shoot, test } from './fixtures'
import { createTap, fillTapForm, openTapForm, side, sideAddress, wayRows } from './tap-ui'
import { preset, screen, typeInto } from './ui'

// A kernel-picked port on the side the tap binds: every test gets its own, no test collides with a user's 5555.
const ANY_PORT = 'tcp://127.0.0.1:*'

let peers: PythonPeer[] = []
function peer(script: string, args: string[] = []): PythonPeer {
  const started = new PythonPeer(script, args)
  peers.push(started)
  return started
}
test.afterEach(async () => {
  await Promise.all(peers.map((p) => p.stop()))
  peers = []
})

const log = (page: Page) => page.getByRole('grid', { name: 'Message log' })

test('a request/reply tap between pyzmq REQ clients and a REP: both ways logged, histogram filled, request ↔ reply', async ({
  app,
}, info) => {
  const { page } = app
  const service = peer('hwserver.py')
  const servicePort = await service.port()
  const form = await openTapForm(page)
  await expect(form.getByLabel('Where to point things')).toHaveText(
    'point your clients at tcp://127.0.0.1:5555; the tap connects to your service at tcp://127.0.0.1:6555',
  )
  await shoot(page, info, 'tap-form', form)
  await fillTapForm(
    form,
    'request/reply',
    [
      { role: 'clients', mode: 'bind', endpoint: ANY_PORT },
      { role: 'service', mode: 'connect', endpoint: `tcp://127.0.0.1:${servicePort}` },
    ],
    'hello tap',
  )
  await form.getByRole('button', { name: 'Create tap' }).click()
  const card = page.getByRole('listitem', { name: 'Tap hello tap' })
  await expect(side(card, 'service', 'hello tap')).toContainText('connected')
  await expect(card).toContainText(`the tap connects to your service at tcp://127.0.0.1:${servicePort}`)
  const address = await sideAddress(card, 'clients', 'hello tap')
  expect(address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/)

  const clients = [1, 2, 3].map((n) =>
    peer('e2e_req.py', ['--endpoint', address, '--count', '150', '--interval-ms', '20', '--tag', `Hello-${n}`]),
  )
  await expect(wayRows(page, 'client → service').first()).toContainText(/Hello-\d \d+/)
  await expect(wayRows(page, 'service → client').first()).toContainText('World')
  // Three clients a request each 20 ms apart: tens a second each way while the card is looked at.
  await expect(card.getByLabel('hello tap client → service rate')).toHaveText(/^[1-9]\d+\/s$/)
  await shoot(page, info, 'tap-card-traffic', card)
  for (const client of clients) await client.line(/^done 150$/)
  await expect(card).toContainText('forwarded ↓ 450 · ↑ 450')
  await expect(card.getByLabel('hello tap in flight')).toHaveText('0 in flight')

  await shoot(page, info, 'tap-log', page.getByRole('region', { name: 'Live message log' }))
  await card.getByRole('button', { name: 'Details of tap hello tap' }).click()
  const details = page.getByRole('region', { name: 'Details of tap hello tap' })
  await expect(details).toContainText('(450 replies)')
  const bars = details.getByRole('list', { name: 'Latency histogram' }).getByRole('listitem')
  await expect(bars.first()).toBeVisible()
  const counts = (await bars.evaluateAll((items) => items.map((i) => i.getAttribute('aria-label') ?? ''))).map(
    (label) => Number(/: (\d+)$/.exec(label)?.[1]),
  )
  expect(counts.reduce((a, b) => a + b, 0)).toBe(450)
  // A Python REP answering over loopback TCP takes tens of µs at the very least: a latency of 10 µs or less is a
  // request timed after its reply had already arrived, not a fast service.
  await expect.soft(bars.first()).not.toHaveAttribute('aria-label', /^≤ 10 µs: /)
  const percentiles = details.getByLabel('Latency percentiles')
  await expect(percentiles.locator('dt')).toHaveText(['p50', 'p95', 'p99', 'max'])
  await expect(percentiles.locator('dd').first()).toHaveText(/^\d+(\.\d+)? (µs|ms)$/)
  const perClient = details.getByRole('table', { name: 'Requests per client' }).locator('tbody tr')
  await expect(perClient).toHaveCount(3)
  for (const row of await perClient.all()) await expect(row.locator('td').nth(1)).toHaveText('150')
  await shoot(page, info, 'tap-details-reqrep', details)

  // The slowest request selects its log entry; its reply is one click away, and the reply points back.
  await details.getByRole('list', { name: 'Slowest requests' }).getByRole('button').first().click()
  const message = page.getByRole('region', { name: 'Message details' })
  await expect(message).toContainText('client → service')
  const pair = message.getByRole('note', { name: 'Request and reply' })
  await expect(pair).toContainText(/reply: #\d+ \(\d+(\.\d+)? (µs|ms)\)/)
  const requestId = (await message.locator('strong').first().textContent())!.trim()
  await pair.getByRole('button').click()
  await expect(message).toContainText('service → client')
  await expect(message.getByRole('group', { name: /^Frame \d$/ }).last()).toContainText('World')
  await expect(pair).toContainText(`request: ${requestId}`)
  await expect(log(page).getByRole('row', { selected: true })).toContainText('service → client')
  await shoot(page, info, 'tap-page')
})

test('a pub/sub tap: a pyzmq SUB behind it gets only its prefix, its subscription is logged going up', async ({
  app,
}) => {
  const { page } = app
  const publisher = peer('wuserver.py', ['--zip-min', '10000', '--zip-max', '10002'])
  const port = await publisher.port()
  const card = await createTap(
    page,
    'pub/sub',
    [
      { role: 'publishers', mode: 'connect', endpoint: `tcp://127.0.0.1:${port}` },
      { role: 'subscribers', mode: 'bind', endpoint: ANY_PORT },
    ],
    'weather tap',
  )
  const address = await sideAddress(card, 'subscribers', 'weather tap')
  const subscriber = peer('e2e_sub.py', ['--endpoint', address, '--topic', '10001'])
  await subscriber.line(/^got 10001 -?\d+ \d+$/)
  // Publications pour in; the one subscription is found by the socket that received it (the subscribers side).
  await page.getByLabel('Filter by socket').selectOption({ label: 'weather tap · subscribers' })
  const up = wayRows(page, 'subscription ↑')
  await expect(up.first()).toContainText('0x013130303031')
  await page.getByLabel('Filter by socket').selectOption({ label: 'weather tap · publishers' })
  const down = wayRows(page, 'publisher → subscriber')
  await expect(down.nth(10)).toBeVisible()
  for (const text of await down.allTextContents()) expect(text).toMatch(/\s10001 -?\d+ \d+$/)
  await expect(card.getByLabel('weather tap subscription ↑ rate')).toBeVisible()
  await card.getByRole('button', { name: 'Details of tap weather tap' }).click()
  const traffic = page.getByRole('region', { name: 'Details of tap weather tap' }).getByLabel('Traffic each way')
  await expect(traffic.getByRole('listitem')).toHaveText([/publisher → subscriber\s*[1-9]/, /subscription ↑\s*1 msg ·/])
})

test('a pipeline tap waits for a worker, then forwards every task of a pyzmq ventilator to a pyzmq PULL', async ({
  app,
}, info) => {
  const { page } = app
  const producer = peer('counter_push.py', ['--count', '25', '--tag', 'job'])
  const port = await producer.port()
  const card = await createTap(
    page,
    'pipeline',
    [
      { role: 'producers', mode: 'connect', endpoint: `tcp://127.0.0.1:${port}` },
      { role: 'consumers', mode: 'bind', endpoint: ANY_PORT },
    ],
    'vent tap',
  )
  // No worker yet: the tap took the first task and cannot hand it on, and says so on the consumers side.
  await expect(side(card, 'consumers', 'vent tap')).toContainText(/blocked \d+(\.\d)? m?s: no peer/)
  await shoot(page, info, 'tap-card-blocked', card)
  const worker = peer('e2e_pull.py', ['--endpoint', await sideAddress(card, 'consumers', 'vent tap')])
  await worker.line(/^got 25 job 24$/)
  await expect(card).toContainText('forwarded ↓ 25')
  await expect(log(page)).toHaveAttribute('aria-rowcount', '25')
  await expect(wayRows(page, 'producer → consumer').first()).toContainText('job 24')
  await expect(side(card, 'consumers', 'vent tap')).not.toContainText('blocked')
})

test('pause holds what arrives, step forwards one, resume delivers the rest in order', async ({ app }, info) => {
  const { page } = app
  const producer = peer('e2e_push.py', ['--count', '30', '--interval-ms', '20', '--tag', 'held'])
  const port = await producer.port()
  const card = await createTap(
    page,
    'pipeline',
    [
      { role: 'producers', mode: 'connect', endpoint: `tcp://127.0.0.1:${port}` },
      { role: 'consumers', mode: 'bind', endpoint: ANY_PORT },
    ],
    'held tap',
  )
  const worker = peer('e2e_pull.py', ['--endpoint', await sideAddress(card, 'consumers', 'held tap')])
  await expect(side(card, 'consumers', 'held tap')).toContainText('connected')
  await expect(side(card, 'producers', 'held tap')).toContainText('connected')
  await card.getByRole('button', { name: 'Pause' }).click()
  const held = card.getByRole('status', { name: 'Held by held tap' })
  await expect(held).toContainText('held ↓ 0')
  producer.write('go\n')
  await expect(held).toContainText(/held ↓ ([1-9]|[12]\d) /)
  await expect(held).toContainText('held ↓ 30 ')
  await shoot(page, info, 'tap-card-paused', card)
  // Held messages are captured as they arrive (the log shows them), but none went on to the worker.
  await expect(log(page)).toHaveAttribute('aria-rowcount', '30')
  await expect(card).toContainText('forwarded ↓ 0')

  await card.getByRole('button', { name: 'Step' }).click()
  await worker.line(/^got 1 held 0$/)
  await expect(held).toContainText('held ↓ 29 ')
  await expect(card).toContainText('forwarded ↓ 1')

  await card.getByRole('button', { name: 'Resume' }).click()
  await worker.line(/^got 30 held 29$/)
  await expect(held).toHaveCount(0)
  await expect(card.getByRole('button', { name: 'Pause' })).toBeVisible()
  await expect(log(page)).toHaveAttribute('aria-rowcount', '30')
  await expect(card).toContainText('forwarded ↓ 30')
})

test('the tap form says what is wrong before and after asking the engine', async ({ app }) => {
  const { page } = app
  const form = await openTapForm(page)
  await form.getByLabel('clients endpoint').fill('tcp://127.0.0.1')
  await expect(form.getByRole('alert')).toContainText('clients: tcp endpoints need host:port')
  await expect(form.getByRole('button', { name: 'Create tap' })).toBeDisabled()
  await form.getByLabel('clients endpoint').fill('tcp://*:7101')
  await form.getByLabel('service endpoint').fill('tcp://127.0.0.1:7101')
  await expect(form.getByRole('alert')).toContainText(
    "the service side would connect to the tap's own clients side at tcp://*:7101",
  )
  // A port someone else holds: the engine refuses, the form shows its code and sentence, nothing is left behind.
  const holder = peer('hwserver.py')
  const taken = await holder.port()
  await fillTapForm(
    form,
    'request/reply',
    [
      { role: 'clients', mode: 'bind', endpoint: `tcp://127.0.0.1:${taken}` },
      { role: 'service', mode: 'connect', endpoint: 'tcp://127.0.0.1:7102' },
    ],
    'refused tap',
  )
  await form.getByRole('button', { name: 'Create tap' }).click()
  const refused = form.getByRole('alert', { name: 'Tap not created' })
  await expect(refused).toContainText(/^[A-Z_]+ clients side \(ROUTER\): .+/)
  await expect(page.getByRole('listitem', { name: 'Tap refused tap' })).toHaveCount(0)
  await expect(page.getByRole('listitem', { name: /Socket refused tap/ })).toHaveCount(0)
})

test('the inspector console makes a tap, prints what it forwards each way, pauses, resumes and closes it', async ({
  app,
}) => {
  const { page } = app
  const service = peer('hwserver.py')
  const port = await service.port()
  await page.getByRole('button', { name: '▸ Terminal' }).click()
  await page.getByRole('button', { name: '+ Console' }).click()
  const console = screen(page, 'console 2')
  await typeInto(page, 'console 2', `tap reqrep --clients ${ANY_PORT} --service tcp://127.0.0.1:${port} --name ctap`)
  await expect.poll(console).toMatch(/point your clients at tcp:\/\/127\.0\.0\.1:\d+/)
  const address = /point your clients at (tcp:\/\/127\.0\.0\.1:\d+)/.exec(await console())![1]!
  await expect(page.getByRole('listitem', { name: 'Tap ctap' })).toBeVisible()
  const client = peer('e2e_req.py', ['--endpoint', address, '--count', '2'])
  await client.line(/^done 2$/)
  await expect.poll(console).toMatch(/ctap · clients client → service .*Hello 1/)
  await expect.poll(console).toMatch(/ctap · service service → client .*World/)
  await typeInto(page, 'console 2', 'pause')
  await expect.poll(console).toContain('ctap: paused, holding ↓0 ↑0')
  await typeInto(page, 'console 2', 'tap reqrep --publishers tcp://127.0.0.1:1')
  await expect
    .poll(console)
    .toContain('error: a reqrep tap has --clients and --service; --publishers is a side of a pubsub tap')
  await typeInto(page, 'console 2', 'ls')
  await expect.poll(console).toMatch(/tap1\s+REQREP\s+ctap/)
  await typeInto(page, 'console 2', 'resume ctap')
  await expect.poll(console).toContain('ctap: forwarding')
  await typeInto(page, 'console 2', 'close tap1')
  await expect.poll(console).toContain('closed tap ctap (tap1)')
  await expect(page.getByRole('listitem', { name: 'Tap ctap' })).toHaveCount(0)
})

test('the tapped hello preset shows a tap at work in one click', async ({ app }) => {
  const { page } = app
  await preset(page, 'Tapped hello')
  const card = page.getByRole('listitem', { name: 'Tap hello tap' })
  await expect(side(card, 'service', 'hello tap')).toContainText('connected')
  await expect(wayRows(page, 'client → service').first()).toContainText('Hello')
  await expect(wayRows(page, 'service → client').first()).toContainText('World')
  // The app's own client and server stay among the sockets; the tap's two sides are on its card only.
  await expect(page.getByRole('listitem', { name: 'Socket hello client (through the tap)' })).toBeVisible()
  await expect(page.getByRole('listitem', { name: /^Socket hello tap/ })).toHaveCount(0)
  // A reload (or a second window) finds the tap again, still forwarding.
  await page.reload()
  const again = page.getByRole('listitem', { name: 'Tap hello tap' })
  const forwarded = async () => Number(/forwarded ↓ (\d+)/.exec((await again.textContent()) ?? '')?.[1] ?? -1)
  const before = await expect.poll(forwarded).toBeGreaterThan(0).then(forwarded)
  await expect.poll(forwarded).toBeGreaterThan(before)
})
