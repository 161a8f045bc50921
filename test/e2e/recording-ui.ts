// UI steps of the recording specs: the record control, the recordings list, an opened recording and its replay.
// Only @playwright/test, like ui.ts.
import { expect, type Locator, type Page } from '@playwright/test'

export interface RecordChoice {
  /** Names of the sockets (and taps) to record; absent = everything. */
  chosen?: string[]
  name?: string
  rotateMiB?: string
  rotateMinutes?: string
}

/**
 * Opens "● Record", fills the form and starts; the recording's status in the top bar. `look` sees the filled
 * form before it starts (a screenshot).
 */
export async function startRecording(
  page: Page,
  choice: RecordChoice,
  look?: (form: Locator) => Promise<void>,
): Promise<Locator> {
  await page.getByRole('button', { name: 'Record', exact: true }).click()
  const box = page.getByRole('dialog', { name: 'Record' })
  if (choice.chosen) {
    await box.getByRole('radio', { name: 'chosen sockets and taps' }).check()
    const choices = box.getByRole('group', { name: 'Sockets and taps to record' })
    for (const name of choice.chosen) await choices.getByRole('checkbox', { name }).check()
  }
  if (choice.name !== undefined) await box.getByLabel('Recording file name').fill(choice.name)
  if (choice.rotateMiB !== undefined) await box.getByLabel('Rotate after MiB').fill(choice.rotateMiB)
  if (choice.rotateMinutes !== undefined) await box.getByLabel('Rotate after minutes').fill(choice.rotateMinutes)
  await look?.(box)
  await box.getByRole('button', { name: 'Start recording' }).click()
  const status = page.getByRole('status', { name: 'Recording', exact: true })
  await expect(status).toContainText('REC')
  await expect(box).toHaveCount(0)
  return status
}

export async function stopRecording(page: Page): Promise<void> {
  await page.getByRole('button', { name: '■ Stop' }).click()
  await expect(page.getByRole('status', { name: 'Recording', exact: true })).toHaveCount(0)
}

/** Shows the recordings list (the folder's files). */
export async function showRecordings(page: Page): Promise<Locator> {
  const list = page.getByRole('dialog', { name: 'Recordings' })
  if ((await list.count()) === 0) await page.getByRole('button', { name: 'Recordings', exact: true }).click()
  await expect(list).toBeVisible()
  return list
}

export function fileRow(list: Locator, name: string): Locator {
  return list.getByRole('row', { name: `Recording ${name}` })
}

/** Opens a file of the list; the banner of the opened recording. */
export async function openRecording(page: Page, name: string): Promise<Locator> {
  const list = await showRecordings(page)
  await fileRow(list, name)
    .getByRole('button', { name: `Open ${name}` })
    .click()
  const banner = page.getByRole('region', { name: 'Opened recording' })
  // An unfinished file is shown as its recovered copy, <name>.recovered.mcap.
  await expect(banner).toContainText(name.replace(/\.mcap$/, ''))
  return banner
}

/** Sends `times` messages of frames from the composer, at `rate` a second, and waits until they went out. */
export async function compose(page: Page, from: string, frames: string[], times: number, rate: number) {
  const composer = page.getByRole('form', { name: 'Composer' })
  await composer.getByLabel('Send from socket').selectOption({ label: from })
  for (let i = 1; i < frames.length; i++) {
    if ((await composer.getByLabel(`Frame ${i + 1}`, { exact: true }).count()) === 0)
      await composer.getByRole('button', { name: '+ Frame' }).click()
  }
  for (const [i, text] of frames.entries()) await composer.getByLabel(`Frame ${i + 1}`, { exact: true }).fill(text)
  await composer.getByLabel('Times').fill(String(times))
  if (times > 1) await composer.getByLabel('Rate').fill(String(rate))
  await composer.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(composer.getByRole('button', { name: 'Send', exact: true })).toBeEnabled()
}

/** The first frame's text of the rows of the log in view, top to bottom. */
export async function rowTexts(log: Locator): Promise<string[]> {
  return log.getByRole('row').allTextContents()
}
