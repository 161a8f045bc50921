import { defineConfig } from '@playwright/test'
import type { HostKind } from './test/e2e/fixtures'
import { electronExecutable } from './test/e2e/hosts'

// The Electron project exists only where an Electron binary does; global-setup prints the skip line otherwise.
const projects: { name: string; use: { hostKind: HostKind } }[] = [{ name: 'browser', use: { hostKind: 'browser' } }]
if (electronExecutable()) projects.push({ name: 'electron', use: { hostKind: 'electron' } })

export default defineConfig<{ hostKind: HostKind }>({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  globalSetup: './test/e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  outputDir: 'test-results',
  use: { screenshot: 'only-on-failure', trace: 'retain-on-failure' },
  projects,
})
