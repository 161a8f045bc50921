// The Jupyter view of a real kernel (Debian's python3-ipykernel): its connection file opened through the Jupyter
// panel in observe mode, a real frontend (jupyter_client) runs print(6*7), and the panel threads what the kernel
// published under the unseen execute_request; a child opens the message details with the wire protocol's parts,
// the signature checked with the file's key. A file with a field missing is refused beside the input.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { JupyterRig } from '../helpers/jupyter-kernel'
import { expect, shoot, test } from './fixtures'

let rig: JupyterRig

test.beforeEach(() => {
  rig = new JupyterRig()
})
test.afterEach(async () => {
  await rig.dispose()
})

test('the Jupyter view of a real kernel: threads of an execute_request, a message decoded, a bad file refused', async ({
  app,
}, info) => {
  // A real kernel and a real frontend take seconds each to start.
  test.setTimeout(90_000)
  const { page } = app
  await page.setViewportSize({ width: 1400, height: 900 })
  const file = await rig.connectionFile()
  rig.startKernel(file.path)

  await page.getByRole('button', { name: /^Jupyter/ }).click()
  const panel = page.getByRole('dialog', { name: 'Jupyter kernels' })
  await expect(panel.getByRole('radio', { name: 'observe its IOPub' })).toBeChecked()
  await panel.getByLabel('Kernel connection file').setInputFiles(file.path)
  const session = panel.getByRole('article', { name: `Session ${file.name}` })
  await expect(session).toContainText('observed')
  await expect(page.getByRole('button', { name: 'Jupyter (1)' })).toBeVisible()

  // The subscription reaches the kernel right after the handshake; the frontend takes far longer to start.
  await expect(page.getByRole('listitem', { name: 'Socket python3 iopub' })).toContainText('connected', {
    timeout: 30_000,
  })
  const frontend = rig.run('jupyter_execute.py', [file.path])
  const reply = JSON.parse(await frontend.exited) as { status: string }
  expect(reply.status).toBe('ok')

  // Only IOPub is watched: the request went over shell, unseen; its children's parent header names it.
  const thread = session.getByRole('listitem', { name: 'Thread unseen request execute_request' })
  const children = thread.getByRole('button')
  await expect(children).toHaveCount(4, { timeout: 10_000 })
  const expected = ['iopub status busy', 'iopub execute_input print(6*7)', 'iopub stream 42', 'iopub status idle']
  for (const [i, name] of expected.entries()) await expect(children.nth(i)).toHaveAccessibleName(name)
  await expect(session).toContainText('0 bad signatures')
  await shoot(page, info, 'jupyter-threads', panel)

  await children.nth(2).click()
  await panel.getByRole('button', { name: 'Close Jupyter kernels' }).click()
  const message = page.getByRole('region', { name: 'Message details' }).getByRole('region', { name: 'Jupyter message' })
  await expect(message.getByLabel('Signature')).toHaveText('signature valid')
  await expect(message.getByLabel('Signature')).toHaveClass(/\bok\b/)
  await expect(message).toContainText('stream')
  const content = message.getByRole('list', { name: 'Jupyter content' })
  await expect(content).toContainText('text')
  await expect(content).toContainText('42')
  await expect(message.getByRole('list', { name: 'Jupyter parent header' })).toContainText('execute_request')
  await shoot(page, info, 'jupyter-message', page.getByRole('region', { name: 'Message details' }))

  // A connection file without its key: the engine's message beside the input, the session list unchanged.
  const broken = JSON.parse(file.text) as Record<string, unknown>
  delete broken.key
  const brokenPath = join(rig.dir, 'kernel-broken.json')
  writeFileSync(brokenPath, JSON.stringify(broken))
  await page.getByRole('button', { name: /^Jupyter/ }).click()
  await panel.getByLabel('Kernel connection file').setInputFiles(brokenPath)
  const problem = panel.getByRole('alert', { name: 'Connection file problem' })
  await expect(problem).toContainText('kernel-broken.json')
  await expect(problem).toContainText('key')
  await expect(problem).toContainText('is missing')
  await expect(panel.getByRole('article')).toHaveCount(1)
  await shoot(page, info, 'jupyter-bad-file', panel)

  await session.getByRole('button', { name: `Close session ${file.name}` }).click()
  await expect(panel.getByRole('article')).toHaveCount(0)
})
