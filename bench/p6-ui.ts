/// <reference lib="dom" />
// P6 in the real UI: the built browser host with the recording in its folder, Debian Chromium, the recordings
// list opened and the file opened with a click as a user does. Measured inside the page, from the click event
// to the animation frame in which the rows show the message expected there: the first message for "Open", one
// from the middle of the recording for a click in the middle of the timeline. Rows carry the C sender's
// 10-digit sequence numbers, so a row is known to be the right one, not just any row.
import type { ChildProcess } from 'node:child_process'
import type { Browser, Page } from '@playwright/test'
import { openPage, startServe, stopServe } from './serve-host'

export interface UiRound {
  /** Click on "Open NAME" -> the first message's row painted. */
  firstRowsMs: number
  /** Click in the middle of the timeline -> a row from the middle (40–60 % of the messages) painted. */
  middleMs: number
}

interface UiHost {
  child: ChildProcess
  browser: Browser
  page: Page
}

async function openUi(recordingsDir: string): Promise<UiHost> {
  const { child, url } = await startServe({ ZEROSCOPE_RECORDINGS_DIR: recordingsDir })
  return { child, ...(await openPage(url)) }
}

async function closeUi(ui: UiHost): Promise<void> {
  await ui.browser.close()
  await stopServe(ui.child)
}

/**
 * Arms a watch in the page: from the next click (or pointer down) on `target` to the first animation frame in
 * which a row of the message log starts a frame with a sequence number in [low, high].
 */
function armRowWatch(page: Page, target: string, low: number, high: number): Promise<number> {
  return page.evaluate(
    ([target, low, high]) =>
      new Promise<number>((resolve) => {
        let clicked = 0
        const start = (event: Event): void => {
          if (clicked === 0 && (event.target as Element).closest(target)) clicked = performance.now()
        }
        document.addEventListener('pointerdown', start, { capture: true })
        document.addEventListener('click', start, { capture: true })
        const frame = (): void => {
          if (clicked > 0) {
            const rows = document.querySelectorAll('[role="grid"][aria-label="Message log"] [role="row"]')
            for (const row of rows) {
              const match = /(\d{10})/.exec(row.textContent ?? '')
              const sequence = match ? Number(match[1]) : -1
              if (sequence >= low && sequence <= high) {
                document.removeEventListener('pointerdown', start, { capture: true })
                document.removeEventListener('click', start, { capture: true })
                resolve(performance.now() - clicked)
                return
              }
            }
          }
          requestAnimationFrame(frame)
        }
        requestAnimationFrame(frame)
      }),
    [target, low, high] as const,
  )
}

/** One fresh host and page: open the file from the recordings list, then click the middle of the timeline. */
export async function uiRound(recordingsDir: string, name: string, messages: number): Promise<UiRound> {
  const ui = await openUi(recordingsDir)
  try {
    const { page } = ui
    await page.getByRole('button', { name: 'Recordings', exact: true }).click()
    const list = page.getByRole('dialog', { name: 'Recordings' })
    const open = list.getByRole('row', { name: `Recording ${name}` }).getByRole('button', { name: `Open ${name}` })
    await open.waitFor()
    const opened = armRowWatch(page, `[aria-label="Open ${name}"]`, 0, 0)
    await open.click()
    const firstRowsMs = await withDeadline(opened, 30_000, 'the first rows after Open')
    const timeline = page.getByRole('slider', { name: 'Timeline' })
    await timeline.waitFor()
    const middle = armRowWatch(page, '[role="slider"][aria-label="Timeline"]', messages * 0.4, messages * 0.6)
    await timeline.click()
    const middleMs = await withDeadline(middle, 30_000, 'rows from the middle after a click on the timeline')
    return { firstRowsMs, middleMs }
  } finally {
    await closeUi(ui)
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`P6 UI: no ${what} within ${ms / 1000} s`)), ms)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}
