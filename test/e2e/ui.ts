// UI steps the specs share.
import type { Locator, Page } from '@playwright/test'
import { expect } from './fixtures'

/** Fills the new-socket form, submits it and waits for the card: listening (bind) or the connect line. */
export async function createSocket(
  page: Page,
  type: string,
  mode: 'bind' | 'connect',
  endpoint: string,
  name: string,
): Promise<Locator> {
  await page.getByLabel('Socket type').selectOption(type)
  await page.getByLabel('Bind or connect').selectOption(mode)
  await page.getByLabel('Endpoint').fill(endpoint)
  await page.getByLabel('Socket name').fill(name)
  await page.getByRole('button', { name: 'Create socket' }).click()
  const card = page.getByRole('listitem', { name: `Socket ${name}` })
  await expect(card).toContainText(mode === 'bind' ? 'listening' : 'connect')
  return card
}

/** The address a bound socket really got (tcp://127.0.0.1:* resolved), from its card. */
export async function boundAddress(card: Locator): Promise<string> {
  return (await card.locator('code').first().textContent())!.trim()
}

export async function preset(page: Page, name: string): Promise<void> {
  await page.getByRole('group', { name: 'Presets' }).getByRole('button', { name }).click()
}
