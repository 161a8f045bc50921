import { chromium } from '@playwright/test'
import { spawn } from 'node:child_process'
const child = spawn(process.execPath, ['out/main/serve.js', '--port', '0'])
const url = await new Promise((r) =>
  child.stdout.on('data', (d) => {
    const m = /(http:\S+)/.exec(String(d))
    if (m) r(m[1])
  }),
)
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: process.argv[2] ?? 'dark' })
page.on('pageerror', (e) => console.log('pageerror', e.message))
page.on('console', (m) => m.type() === 'error' && console.log('console', m.text()))
await page.goto(url)
await page.getByRole('button', { name: '▸ Terminal' }).click()
await page.waitForTimeout(800)
await page.keyboard.type('echo hello from the shell; stty size\n')
await page.getByRole('button', { name: '+ Console' }).click()
await page.waitForTimeout(300)
await page.keyboard.type('sub tcp://127.0.0.1:5556 --topic 10001 --name zips\n')
await page.waitForTimeout(1500)
await page.screenshot({ path: `/tmp/term-${process.argv[2] ?? 'dark'}.png` })
await page.getByRole('tab', { name: /shell/ }).click()
await page.waitForTimeout(300)
await page.screenshot({ path: `/tmp/term-shell-${process.argv[2] ?? 'dark'}.png` })
await browser.close()
child.kill()
