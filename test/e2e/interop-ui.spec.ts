// Against a peer no one here wrote: Debian's pyzmq weather server outside the app; the UI's SUB, filtered on
// "10001", shows only those updates. And every socket family can be created and closed from the UI.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { expect, test } from './fixtures'
import { fillSocketForm, submitSocketForm } from './ui'

const PYTHON = process.env.ZEROSCOPE_PYTHON ?? '/usr/bin/python3'
const WUSERVER = fileURLToPath(new URL('../fixtures/python/wuserver.py', import.meta.url))

test('a SUB made in the UI, filtered on 10001, gets only 10001 from a pyzmq weather server', async ({ app }) => {
  const { page } = app
  const server = spawn(PYTHON, ['-u', WUSERVER, '--zip-min', '9990', '--zip-max', '10010'])
  try {
    let port = ''
    for await (const line of createInterface({ input: server.stdout })) {
      port = /^port (\d+)$/.exec(line)?.[1] ?? ''
      if (port) break
    }
    const zip = { type: 'sub', mode: 'connect', endpoint: `tcp://localhost:${port}`, name: 'zip 10001' } as const
    await fillSocketForm(page, { ...zip, subscribe: '10001' })
    await submitSocketForm(page, zip.name)
    const rows = page.getByRole('grid', { name: 'Message log' }).getByRole('row')
    await expect(rows.nth(20)).toBeVisible()
    for (const text of await rows.allTextContents()) expect(text).toMatch(/zip 10001\s*← in.*\s10001 -?\d+ \d+$/)
  } finally {
    const exited = once(server, 'exit')
    server.kill('SIGKILL')
    await exited
  }
})

test('every socket family can be created, bound or connected, and closed from the UI', async ({ app }) => {
  const { page } = app
  const families: [string, 'bind' | 'connect'][] = [
    ['pair', 'bind'],
    ['pub', 'bind'],
    ['sub', 'connect'],
    ['req', 'connect'],
    ['rep', 'bind'],
    ['dealer', 'connect'],
    ['router', 'bind'],
    ['push', 'bind'],
    ['pull', 'connect'],
    ['xpub', 'bind'],
    ['xsub', 'connect'],
    ['stream', 'bind'],
  ]
  for (const [type, mode] of families) {
    const endpoint = mode === 'bind' ? 'tcp://127.0.0.1:*' : 'tcp://127.0.0.1:6999'
    await fillSocketForm(page, { type, mode, endpoint, name: `${type} family` })
    const card = await submitSocketForm(page, `${type} family`)
    await expect(card).toContainText(mode === 'bind' ? 'listening' : /connecting|retrying|disconnected/)
    await page.getByRole('button', { name: `Close socket ${type} family` }).click()
    await expect(card).toHaveCount(0)
  }
})
