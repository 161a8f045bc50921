// Every panel of a socket's details, each shown by the socket type it belongs to, with a close-up screenshot
// of each card in dark and light (test artifacts under test-results/, to be looked at).
import * as zmq from 'zeromq'
import { expect, shoot, test } from './fixtures'
import { boundAddress, createSocket, preset } from './ui'

test('each socket type shows its panels: filters, topics, downstream, workers, fields, peers, events', async ({
  app,
}, info) => {
  test.setTimeout(60_000)
  const { page } = app
  const details = (name: string) => page.getByRole('region', { name: `Details of ${name}` })
  const card = (name: string) => page.getByRole('listitem', { name: `Socket ${name}` })
  const open = (name: string) => page.getByRole('button', { name: `Details of ${name}` }).click()
  const headings = (name: string) => details(name).getByRole('heading', { level: 3 })

  await preset(page, 'Weather')
  await open('weather client (10001)')
  const sub = details('weather client (10001)')
  await expect(sub.getByRole('list', { name: 'Topics of weather client (10001)' })).toContainText('10001')
  await sub.getByLabel('Test a message against the filters').fill('10001 72 40')
  await expect(sub.getByRole('status', { name: 'Filter test result' })).toContainText('passes')
  await expect(headings('weather client (10001)')).toHaveText(['Filters', 'Topics', 'Events'])
  await shoot(page, info, 'panels-sub', card('weather client (10001)'))

  await preset(page, 'Pipeline')
  await open('ventilator')
  await expect(
    details('ventilator').getByRole('list', { name: 'Messages per worker' }).getByRole('listitem'),
  ).toHaveCount(2)
  await expect(headings('ventilator')).toHaveText(['Worker distribution', 'Events'])
  await shoot(page, info, 'panels-push', card('ventilator'))
  await open('sink')
  await expect(
    details('sink').getByRole('list', { name: 'Messages per field value' }).getByRole('listitem'),
  ).toHaveCount(2)
  await expect(details('sink').getByRole('list', { name: 'Events of sink' })).toContainText(/\d+ messages since/)
  await expect(headings('sink')).toHaveText(['By field (who did the work, as the messages say)', 'Events'])
  await shoot(page, info, 'panels-pull', card('sink'))

  const hub = await createSocket(page, 'xpub', 'bind', 'tcp://127.0.0.1:*', 'hub')
  const router = await createSocket(page, 'router', 'bind', 'tcp://127.0.0.1:*', 'desk')
  const subscriber = new zmq.Subscriber({ linger: 0 })
  const dealer = new zmq.Dealer({ linger: 0, routingId: 'teller' })
  try {
    subscriber.subscribe('prices.')
    subscriber.connect(await boundAddress(hub))
    await open('hub')
    await expect(details('hub').getByRole('table', { name: 'Downstream subscriptions' })).toContainText('prices.')
    await expect(headings('hub')).toHaveText(['Downstream subscriptions', 'Events'])
    await shoot(page, info, 'panels-xpub', card('hub'))

    dealer.connect(await boundAddress(router))
    await dealer.send('hello desk')
    await open('desk')
    await expect(details('desk').getByRole('table', { name: 'Peers' })).toContainText('0x74656c6c6572')
    await expect(headings('desk')).toHaveText(['Peers', 'Events'])
    await shoot(page, info, 'panels-router', card('desk'))
  } finally {
    subscriber.close()
    dealer.close()
  }
})
