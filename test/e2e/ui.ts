// UI steps the specs (and the UI benchmark) share. Only @playwright/test, no fixtures: bench/ imports this too.
import { expect, type Locator, type Page } from '@playwright/test'

export interface SocketForm {
  type: string
  mode: 'bind' | 'connect'
  endpoint: string
  name: string
  subscribe?: string
}

/** Fills the new-socket form without submitting it, for specs that set options next. */
export async function fillSocketForm(page: Page, form: SocketForm): Promise<void> {
  await page.getByLabel('Socket type').selectOption(form.type)
  await page.getByLabel('Bind or connect').selectOption(form.mode)
  await page.getByLabel('Endpoint').fill(form.endpoint)
  if (form.subscribe !== undefined) await page.getByLabel('Subscribe prefix').fill(form.subscribe)
  await page.getByLabel('Socket name').fill(form.name)
}

/** Submits the form; the new socket's card (it may still be connecting). */
export async function submitSocketForm(page: Page, name: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Create socket' }).click()
  return page.getByRole('listitem', { name: `Socket ${name}` })
}

/** Fills the new-socket form, submits it and waits for the card: listening (bind) or the connect line. */
export async function createSocket(
  page: Page,
  type: string,
  mode: 'bind' | 'connect',
  endpoint: string,
  name: string,
): Promise<Locator> {
  await fillSocketForm(page, { type, mode, endpoint, name })
  const card = await submitSocketForm(page, name)
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

/** The terminal's screen as lines (xterm's DOM renderer draws one div per row). */
export function screen(page: Page, title: string): () => Promise<string> {
  const rows = page.getByRole('region', { name: `Terminal ${title}` }).locator('.xterm-rows')
  return () => rows.evaluate((el) => [...el.children].map((row) => row.textContent?.trimEnd() ?? '').join('\n'))
}

export async function typeInto(page: Page, title: string, text: string): Promise<void> {
  await page.getByRole('tab', { name: title }).click()
  await page
    .getByRole('region', { name: `Terminal ${title}` })
    .locator('.xterm-screen')
    .click()
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
}
