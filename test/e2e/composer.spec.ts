// The composer: multipart frames with encodings checked as you type, ROUTER peers, repeats with placeholders.
import * as zmq from 'zeromq'
import { expect, shoot, test } from './fixtures'
import { boundAddress, createSocket } from './ui'

test('multipart frames in several encodings arrive byte-exact; bad hex and JSON are caught as you type', async ({
  app,
}, info) => {
  const { page } = app
  const pull = new zmq.Pull({ linger: 0 })
  try {
    await pull.bind('tcp://127.0.0.1:*')
    await createSocket(page, 'push', 'connect', pull.lastEndpoint!, 'multi')
    const composer = page.getByRole('form', { name: 'Composer' })
    await composer.getByLabel('Frame 1', { exact: true }).fill('topic')
    await composer.getByRole('button', { name: '+ Frame' }).click()
    await composer.getByLabel('Frame 2 encoding').selectOption('hex')
    await composer.getByLabel('Frame 2', { exact: true }).fill('ff0')
    await expect(composer.getByRole('alert')).toContainText('frame 2: hex needs an even number of digits')
    await expect(composer.getByRole('button', { name: 'Send' })).toBeDisabled()
    await composer.getByLabel('Frame 2', { exact: true }).fill('ff00')
    await composer.getByRole('button', { name: '+ Frame' }).click()
    await composer.getByLabel('Frame 3 encoding').selectOption('json')
    await composer.getByLabel('Frame 3', { exact: true }).fill('{"a": ')
    await expect(composer.getByRole('alert')).toContainText('frame 3: not valid JSON')
    await shoot(page, info, 'composer-invalid-json')
    await composer.getByLabel('Frame 3', { exact: true }).fill('{"a": [1, 2]}')
    await composer.getByRole('button', { name: 'Send' }).click()
    const frames = await pull.receive()
    expect(frames.map((f) => f.toString('hex'))).toEqual([
      Buffer.from('topic').toString('hex'),
      'ff00',
      Buffer.from('{"a":[1,2]}').toString('hex'),
    ])
  } finally {
    pull.close()
  }
})

test('ROUTER replies to a peer picked from the routing ids it has seen', async ({ app }) => {
  const { page } = app
  await createSocket(page, 'router', 'bind', 'tcp://127.0.0.1:*', 'broker')
  const address = await boundAddress(page.getByRole('listitem', { name: 'Socket broker' }))
  const dealer = new zmq.Dealer({ linger: 0, routingId: 'worker-7' })
  try {
    dealer.connect(address)
    await dealer.send('ready')
    await expect(
      page.getByRole('grid', { name: 'Message log' }).getByRole('row').filter({ hasText: 'ready' }),
    ).toContainText('broker')
    const composer = page.getByRole('form', { name: 'Composer' })
    await composer.getByLabel('Send from socket').selectOption({ label: 'broker (ROUTER)' })
    await composer
      .getByLabel('Destination peer')
      .selectOption({ label: `peer 0x${Buffer.from('worker-7').toString('hex')}` })
    await composer.getByLabel('Frame 1', { exact: true }).fill('job for you')
    await composer.getByRole('button', { name: 'Send' }).click()
    const [reply] = await dealer.receive()
    expect(reply!.toString()).toBe('job for you')
  } finally {
    dealer.close()
  }
})

test('repeat N times with a counter placeholder', async ({ app }) => {
  const { page } = app
  const pull = new zmq.Pull({ linger: 0 })
  try {
    await pull.bind('tcp://127.0.0.1:*')
    await createSocket(page, 'push', 'connect', pull.lastEndpoint!, 'repeater')
    const composer = page.getByRole('form', { name: 'Composer' })
    await composer.getByLabel('Frame 1', { exact: true }).fill('tick {n}')
    await composer.getByLabel('Times').fill('5')
    await composer.getByLabel('Rate').fill('200')
    await composer.getByRole('button', { name: 'Send' }).click()
    const got: string[] = []
    for (let i = 0; i < 5; i++) got.push((await pull.receive())[0]!.toString())
    expect(got).toEqual(['tick 1', 'tick 2', 'tick 3', 'tick 4', 'tick 5'])
    await expect(composer.getByLabel('Sent before')).toContainText('repeater: tick {n}')
    // An emptied "times" field sends once rather than nothing.
    await composer.getByLabel('Times').fill('')
    await composer.getByLabel('Frame 1', { exact: true }).fill('just once')
    await composer.getByRole('button', { name: 'Send' }).click()
    expect((await pull.receive())[0]!.toString()).toBe('just once')
  } finally {
    pull.close()
  }
})

test('a message over the size limit is explained before sending and cannot be sent', async ({ app }, info) => {
  const { page } = app
  const pull = new zmq.Pull({ linger: 0 })
  try {
    await pull.bind('tcp://127.0.0.1:*')
    await createSocket(page, 'push', 'connect', pull.lastEndpoint!, 'big sender')
    const composer = page.getByRole('form', { name: 'Composer' })
    await composer.getByLabel('Frame 1', { exact: true }).fill('header')
    await composer.getByRole('button', { name: '+ Frame' }).click()
    await composer.getByLabel('Frame 2 encoding').selectOption('base64')
    // 97 Mi base64 characters, made in the page: typing them would take minutes, sending them from here seconds.
    const frame = composer.getByLabel('Frame 2', { exact: true })
    await frame.evaluate((element: HTMLTextAreaElement) => {
      element.value = 'A'.repeat(97 * 1024 * 1024)
      element.dispatchEvent(new Event('input', { bubbles: true }))
    })
    await expect(composer.getByRole('alert')).toHaveText(
      'The frames together take 97.0 MiB encoded; one message may take at most 96 MiB (72 MiB of binary as base64), so send it in parts.',
    )
    await expect(composer.getByRole('button', { name: 'Send' })).toBeDisabled()
    // A frame that size is not laid out in a textarea (Chromium stalls, then crashes): its size is shown instead.
    await expect(composer.getByLabel('Frame 2 size')).toContainText('97.0 Mi characters')
    await shoot(page, info, 'composer-too-large')
    await composer.getByRole('button', { name: 'Clear frame 2' }).click()
    await composer.getByLabel('Frame 2', { exact: true }).fill('AAEC')
    await expect(composer.getByRole('alert')).toBeHidden()
    await composer.getByRole('button', { name: 'Send' }).click()
    expect((await pull.receive()).map((f) => f.toString('hex'))).toEqual([
      Buffer.from('header').toString('hex'),
      '000102',
    ])
  } finally {
    pull.close()
  }
})
