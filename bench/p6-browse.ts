// P6's browsing of a recording through the browser host as the UI does it: the built host (out/main/serve.js)
// with the recording in its recordings folder, one WebSocket speaking the contract's request frames. Times are
// from sending a request to its answer arriving (what the page waits for before it can render rows), and the
// host's RSS (engine thread and reader thread together) is read from /proc after every page.
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { Channel } from '../contract/channels'
import type { OpenedRecording } from '../contract/recordings'
import type { RecordingPage } from '../contract/views'
import { HostLink, startServe } from './serve-host'

/** Rows a page asks for: more than a tall window shows. */
export const PAGE_ROWS = 100

export class BrowsingHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly link: HostLink,
  ) {}

  static async start(recordingsDir: string): Promise<BrowsingHost> {
    const { child, url } = await startServe({ ZEROSCOPE_RECORDINGS_DIR: recordingsDir })
    return new BrowsingHost(child, await HostLink.connect(url))
  }

  timed<T>(channel: string, payload: unknown): Promise<{ value: T; ms: number }> {
    return this.link.timed<T>(channel, payload)
  }

  open(name: string) {
    return this.timed<{ kind: 'opened'; recording: OpenedRecording }>(Channel.recordingOpen, {
      file: { kind: 'folder', name },
    })
  }

  page(sourceId: string, from: number) {
    return this.timed<RecordingPage>(Channel.recordingPage, { sourceId, from, limit: PAGE_ROWS })
  }

  seek(sourceId: string, wall: number) {
    return this.timed<{ position: number }>(Channel.recordingSeek, { sourceId, wall })
  }

  /** The host process's resident memory now and at its peak (VmHWM), MB. */
  rssMB(): { rss: number; peak: number } {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
    return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) }
  }

  async stop(): Promise<void> {
    this.link.close()
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = once(this.child, 'exit')
    this.child.kill('SIGTERM')
    await exited
  }
}

export interface BrowseRound {
  /** recording:open, then the first page: what stands between "Open" and rows on screen. */
  openMs: number
  firstPageMs: number
  firstRowsMs: number
  /** recording:seek to the middle of the recording's time span, then the page there. */
  seekMs: number
  middlePageMs: number
  middleMs: number
  /** Rows of the first and middle pages (each should be PAGE_ROWS), and where the middle landed. */
  rows: [number, number]
  middlePosition: number
  messages: number
}

/** A fresh host: opens the recording, reads the first page, jumps to the middle of its time span. */
export async function browseRound(host: BrowsingHost, name: string): Promise<BrowseRound & { sourceId: string }> {
  const opened = await host.open(name)
  const { sourceId, startWall, endWall, messages } = opened.value.recording
  const first = await host.page(sourceId, 0)
  const seek = await host.seek(sourceId, (startWall + endWall) / 2)
  const middle = await host.page(sourceId, seek.value.position)
  return {
    sourceId,
    openMs: opened.ms,
    firstPageMs: first.ms,
    firstRowsMs: opened.ms + first.ms,
    seekMs: seek.ms,
    middlePageMs: middle.ms,
    middleMs: seek.ms + middle.ms,
    rows: [first.value.entries.length, middle.value.entries.length],
    middlePosition: seek.value.position,
    messages,
  }
}

export interface Paging {
  pages: number
  /** ms per page (a random position, usually a chunk not in the reader's cache). */
  pageMs: number[]
  /** Host RSS after each page, MB, and the process's peak RSS once done. */
  rssMB: number[]
  peakMB: number
  /** Pages whose first row was not the position asked for. */
  misplaced: number
}

/** Pages at `pages` random positions (seeded, the same each run), reading RSS after each. */
export async function pageAround(host: BrowsingHost, sourceId: string, messages: number, pages: number) {
  let seed = 0x6d2b79f5
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648
  }
  const result: Paging = { pages, pageMs: [], rssMB: [], peakMB: 0, misplaced: 0 }
  for (let i = 0; i < pages; i++) {
    const from = Math.floor(random() * Math.max(1, messages - PAGE_ROWS))
    const page = await host.page(sourceId, from)
    result.pageMs.push(page.ms)
    if (page.value.entries[0]?.id !== from + 1) result.misplaced++
    result.rssMB.push(host.rssMB().rss)
  }
  result.peakMB = host.rssMB().peak
  return result
}
