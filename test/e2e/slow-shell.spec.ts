// A shell whose start is slow (a login profile that takes its time): the tab says it is starting, then what it
// waits for and how to avoid it, and works normally once the shell has printed its prompt.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from '@playwright/test'
import { expect, shoot, startServeHost, stopServeHost, test } from './fixtures'
import { HERMETIC_SHELL_COMMAND } from '../helpers/hermetic-shell'
import { CHROMIUM_ARGS, chromiumExecutable } from './hosts'
import { screen, typeInto } from './ui'

test('a shell that prints nothing for seconds says it is starting, then what it waits for', async ({
  hostKind,
  playwright,
}, info) => {
  test.skip(hostKind !== 'browser', 'the notice is the page’s; one host shows it')
  // ZEROSCOPE_SHELL splits on spaces: the slow start is a script, silent for 5 s like a heavy profile.
  const script = join(mkdtempSync(join(tmpdir(), 'zs-slow-shell-')), 'slow-shell.sh')
  writeFileSync(script, `#!/bin/sh\nsleep 5\nexec ${HERMETIC_SHELL_COMMAND}\n`)
  chmodSync(script, 0o755)
  const { url, child } = await startServeHost(false, false, { ZEROSCOPE_SHELL: script })
  let browser: Browser | undefined
  try {
    browser = await playwright.chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS })
    const page = await browser.newPage()
    await page.goto(url)
    await page.getByRole('button', { name: '▸ Terminal' }).click()
    const notice = page.getByRole('region', { name: 'Terminal shell 1' }).getByRole('status', { name: 'Shell status' })
    await expect(notice).toHaveText('starting…')
    await expect(notice).toHaveText(
      "waiting for your login shell's profile (~/.profile, ~/.bashrc…) to finish; set ZEROSCOPE_SHELL to run another command",
      { timeout: 4_000 },
    )
    await shoot(page, info, 'slow-shell-waiting')
    // The first output (the prompt) ends the wait, and the shell runs commands like any other.
    await expect(notice).toBeHidden({ timeout: 10_000 })
    await typeInto(page, 'shell 1', 'echo "sl""ow done"')
    await expect.poll(screen(page, 'shell 1')).toMatch(/^slow done$/m)
  } finally {
    await browser?.close()
    await stopServeHost(child)
  }
})
