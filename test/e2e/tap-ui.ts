// UI steps of the tap specs: the tap form, a tap's card and its sides. Only @playwright/test, like ui.ts.
import { expect, type Locator, type Page } from '@playwright/test'

export type FamilyLabel = 'request/reply' | 'pub/sub' | 'pipeline'

export interface TapSideInput {
  role: string
  mode: 'bind' | 'connect'
  endpoint: string
}

/** Opens the tap form from "+ Tap" next to the new-socket form. */
export async function openTapForm(page: Page): Promise<Locator> {
  await page.getByRole('form', { name: 'New socket' }).getByRole('button', { name: '+ Tap' }).click()
  return page.getByRole('form', { name: 'New tap' })
}

/** Fills the tap form without submitting it. */
export async function fillTapForm(form: Locator, family: FamilyLabel, sides: TapSideInput[], name: string) {
  await form.getByRole('radio', { name: family }).check()
  for (const side of sides) {
    await form.getByLabel(`${side.role}: bind or connect`).selectOption(side.mode)
    await form.getByLabel(`${side.role} endpoint`).fill(side.endpoint)
  }
  await form.getByLabel('Tap name').fill(name)
}

/** Creates a tap from the form and waits for its card. */
export async function createTap(
  page: Page,
  family: FamilyLabel,
  sides: TapSideInput[],
  name: string,
): Promise<Locator> {
  const form = await openTapForm(page)
  await fillTapForm(form, family, sides, name)
  await form.getByRole('button', { name: 'Create tap' }).click()
  const card = page.getByRole('listitem', { name: `Tap ${name}` })
  await expect(card).toBeVisible()
  return card
}

export function side(card: Locator, role: string, name: string): Locator {
  return card.getByRole('group', { name: `${role} side of ${name}` })
}

/** The address a side really got (tcp://127.0.0.1:* resolved), as its card shows it. */
export async function sideAddress(card: Locator, role: string, name: string): Promise<string> {
  return (await side(card, role, name).locator('code').textContent())!.trim()
}

/** Log rows that went one way through a tap (the label in their Dir / way cell). */
export function wayRows(page: Page, label: string): Locator {
  return page.getByRole('grid', { name: 'Message log' }).getByRole('row').filter({ hasText: label })
}
