/// <reference lib="dom" />
// What the UI benchmark measures inside the page: frame intervals, long tasks, DOM arrival of rows, the close
// of a socket. The engine's own view (counters, entry timestamps) is read over a second WebSocket to the host,
// the same channel the UI uses, so nothing in the product exists for the benchmark's sake.
import type { Page } from '@playwright/test'
import { Channel } from '../contract/channels'

/** Runs one request on a fresh WebSocket to the host (the page's cookie carries the token). */
async function request<T>(page: Page, channel: string, payload: unknown): Promise<T> {
  return page.evaluate(
    ([channel, payload]) =>
      new Promise<T>((resolve, reject) => {
        const socket = new WebSocket(`ws://${location.host}/ws`)
        socket.onerror = () => reject(new Error('benchmark WebSocket failed'))
        socket.onopen = () => socket.send(JSON.stringify({ id: 1, channel, payload }))
        socket.onmessage = (message: MessageEvent<string>) => {
          const frame = JSON.parse(message.data) as { id?: number; result?: { ok: boolean; value: T; error: unknown } }
          if (frame.id !== 1 || !frame.result) return
          socket.close()
          if (frame.result.ok) resolve(frame.result.value)
          else reject(new Error(JSON.stringify(frame.result.error)))
        }
      }),
    [channel, payload] as const,
  )
}

interface Capture {
  entries: number
  dropped: number
}

export const inPage = {
  async untilRows(page: Page, rows: number): Promise<void> {
    await page.waitForFunction(
      (rows) => Number(document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount') ?? 0) >= rows,
      rows,
      { timeout: 30_000 },
    )
  },

  /** Messages received so far by all sockets, as the engine counts them. */
  async received(page: Page): Promise<number> {
    const sockets = await request<{ counters: { msgsIn: number } }[]>(page, Channel.socketList, {})
    return sockets.reduce((sum, s) => sum + s.counters.msgsIn, 0)
  },

  /** Polls the engine until one socket has received `messages`; returns the capture's account of them. */
  async untilReceived(page: Page, messages: number): Promise<Capture> {
    for (;;) {
      const sockets = await request<{ counters: { msgsIn: number } }[]>(page, Channel.socketList, {})
      if (sockets.some((s) => s.counters.msgsIn >= messages)) break
      await page.waitForTimeout(100)
    }
    const info = await request<{ capture: Capture }>(page, Channel.engineInfo, {})
    return info.capture
  },

  /** requestAnimationFrame intervals and long tasks (ms) over `ms`. */
  watchFrames(page: Page, ms: number): Promise<{ intervals: number[]; longTasks: number[] }> {
    return page.evaluate(
      (ms) =>
        new Promise<{ intervals: number[]; longTasks: number[] }>((resolve) => {
          const intervals: number[] = []
          const longTasks: number[] = []
          const observer = new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) longTasks.push(Math.round(entry.duration))
          })
          observer.observe({ type: 'longtask' })
          const end = performance.now() + ms
          let last = performance.now()
          const frame = (now: number): void => {
            intervals.push(now - last)
            last = now
            if (now < end) requestAnimationFrame(frame)
            else {
              observer.disconnect()
              resolve({ intervals, longTasks })
            }
          }
          requestAnimationFrame(frame)
        }),
      ms,
    )
  },

  /** Clicks the close button for real; ms from the click event to the socket's card leaving the page. */
  async closeLatency(page: Page, card: string, button: string): Promise<number> {
    const armed = page.evaluate(
      ([card, button]) =>
        new Promise<number>((resolve) => {
          let clicked = 0
          document.addEventListener(
            'click',
            (event) => {
              if ((event.target as Element).closest(`[aria-label="${button}"]`)) clicked = performance.now()
            },
            { capture: true },
          )
          const observer = new MutationObserver(() => {
            if (clicked && !document.querySelector(`[aria-label="${card}"]`)) {
              observer.disconnect()
              resolve(performance.now() - clicked)
            }
          })
          observer.observe(document.body, { childList: true, subtree: true })
        }),
      [card, button] as const,
    )
    await page.getByRole('button', { name: button }).click()
    return armed
  },

  /** Each log row as it enters the DOM: the sequence number the sender wrote first, and the wall time. */
  rowArrivals(page: Page, ms: number): Promise<{ sequence: number; at: number }[]> {
    return page.evaluate(
      (ms) =>
        new Promise<{ sequence: number; at: number }[]>((resolve) => {
          const seen: { sequence: number; at: number }[] = []
          const rows = document.querySelector('[role="grid"] [role="rowgroup"]')!
          const observer = new MutationObserver((records) => {
            const at = performance.timeOrigin + performance.now()
            for (const record of records)
              for (const node of record.addedNodes) {
                const match = /^(\d{10})/.exec((node as Element).lastElementChild?.textContent ?? '')
                if (match) seen.push({ sequence: Number(match[1]), at })
              }
          })
          observer.observe(rows, { childList: true })
          setTimeout(() => {
            observer.disconnect()
            resolve(seen)
          }, ms)
        }),
      ms,
    )
  },

  /** The engine's receive timestamp of every captured message, by the sequence number it carries. */
  async entryWalls(page: Page): Promise<Map<number, number>> {
    const walls = new Map<number, number>()
    let beforeId: number | undefined
    for (;;) {
      const entries = await request<{ id: number; wall: number; frames: { b64: string }[] }[]>(page, Channel.logQuery, {
        limit: 5000,
        ...(beforeId ? { beforeId } : {}),
      })
      for (const entry of entries) {
        const sequence = Number(Buffer.from(entry.frames[0]!.b64, 'base64').subarray(0, 10).toString())
        walls.set(sequence, entry.wall)
      }
      if (entries.length < 5000) return walls
      beforeId = entries[0]!.id
    }
  },
}
