// Finds the binaries the e2e projects need: a Chromium for the browser host, Electron's for the Electron host.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** Chromium: ZEROSCOPE_CHROMIUM, else Debian's, else Playwright's own if it was installed. */
export function chromiumExecutable(): string | undefined {
  const candidates = [process.env.ZEROSCOPE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate
  try {
    const { chromium } = require('@playwright/test') as typeof import('@playwright/test')
    const own = chromium.executablePath()
    return existsSync(own) ? own : undefined
  } catch {
    return undefined
  }
}

/** The Electron binary, if its download happened (npm's install script) or ZEROSCOPE_ELECTRON names one. */
export function electronExecutable(): string | undefined {
  if (process.env.ZEROSCOPE_ELECTRON)
    return existsSync(process.env.ZEROSCOPE_ELECTRON) ? process.env.ZEROSCOPE_ELECTRON : undefined
  try {
    const path = require('electron') as unknown as string
    return typeof path === 'string' && existsSync(path) ? path : undefined
  } catch {
    return undefined
  }
}

/** Flags for Chromium on these machines: root needs --no-sandbox; the rest keep it off a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
