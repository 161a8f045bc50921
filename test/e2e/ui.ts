// UI steps the specs share.
import type { Page } from '@playwright/test'
import { expect } from './fixtures'

export async function createSocket(
  page: Page,
  type: string,
  mode: 'bind' | 'connect',
  endpoint: string,
  name: string,
): Promise<void> {
  await page.getByLabel('Socket type').selectOption(type)
  await page.getByLabel('Bind or connect').selectOption(mode)
  await page.getByLabel('Endpoint').fill(endpoint)
  await page.getByLabel('Socket name').fill(name)
  await page.getByRole('button', { name: 'Create socket' }).click()
}

/** Creates a socket and waits until its card shows it bound (listening) or connecting. */
export async function createAndWait(
  page: Page,
  type: string,
  mode: 'bind' | 'connect',
  endpoint: string,
  name: string,
): Promise<void> {
  await createSocket(page, type, mode, endpoint, name)
  await expect(page.getByRole('listitem', { name: `Socket ${name}` })).toContainText(
    mode === 'bind' ? 'listening' : 'connect',
  )
}

export async function preset(page: Page, name: string): Promise<void> {
  await page.getByRole('group', { name: 'Presets' }).getByRole('button', { name }).click()
}
