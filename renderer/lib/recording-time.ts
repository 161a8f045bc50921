// Times of recordings as the UI says and reads them: elapsed while recording, a recording's span, file dates,
// the "jump to time" input and the timeline's fraction <-> wall clock. Pure; local time like the log's rows.
import { formatTime } from './format'

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** "00:42", "12:05", "1:02:03": a recording's running time, read at a glance. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`
}

/** "350 ms", "12.4 s", "3 min 05 s", "2 h 07 min": how long a recording lasts. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const seconds = Math.round(ms / 1000)
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${pad(seconds % 60)} s`
  return `${Math.floor(seconds / 3600)} h ${pad(Math.floor((seconds % 3600) / 60))} min`
}

/** "2026-03-14 09:26": when a file was last written. */
export function formatDate(wall: number): string {
  const d = new Date(wall)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** A recording's span as its rows show times: "09:26:01.120 – 09:31:44.006 (5 min 43 s)". */
export function formatSpan(startWall: number, endWall: number): string {
  return `${formatTime(startWall)} – ${formatTime(endWall)} (${formatDuration(endWall - startWall)})`
}

export type JumpTime = { kind: 'ok'; wall: number } | { kind: 'invalid'; message: string }

const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?$/
const OFFSET = /^\+\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h)?$/
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 }
const DAY_MS = 86_400_000

/**
 * What the user typed in "jump to time": a time of day as the rows show it (hh:mm, hh:mm:ss or hh:mm:ss.mmm,
 * on whichever day of the recording has it) or an offset from its start ("+90s", "+2.5 min", "+1500ms").
 */
export function parseJumpTime(text: string, startWall: number, endWall: number): JumpTime {
  const input = text.trim()
  const offset = OFFSET.exec(input)
  if (offset) {
    const wall = startWall + Number(offset[1]) * UNIT_MS[offset[2] ?? 's']!
    if (wall > endWall + 1) {
      return {
        kind: 'invalid',
        message: `${input} is past the end of the recording (it lasts ${formatDuration(endWall - startWall)})`,
      }
    }
    return { kind: 'ok', wall }
  }
  const time = TIME_OF_DAY.exec(input)
  if (!time) return { kind: 'invalid', message: 'type a time like 14:03:07.250, or an offset like +90s' }
  const [hours, minutes, seconds] = [Number(time[1]), Number(time[2]), Number(time[3] ?? 0)]
  if (hours > 23 || minutes > 59 || seconds > 59) return { kind: 'invalid', message: `${input} is not a time of day` }
  const millis = Number((time[4] ?? '0').padEnd(3, '0'))
  const midnight = new Date(startWall)
  midnight.setHours(0, 0, 0, 0)
  // A recording that runs past midnight has that time of day once per day: the first one inside it counts.
  for (let day = new Date(midnight); day.getTime() <= endWall; day.setDate(day.getDate() + 1)) {
    const at = new Date(day)
    at.setHours(hours, minutes, seconds, millis)
    const wall = at.getTime()
    // The rows show whole milliseconds: the first row's time typed back names that row, not one before it.
    if (wall >= Math.floor(startWall) && wall <= endWall) return { kind: 'ok', wall: Math.max(wall, startWall) }
  }
  return { kind: 'invalid', message: `${input} is outside the recording (${formatSpan(startWall, endWall)})` }
}

/** The wall clock at a fraction (0..1) of a recording's span. */
export function wallAt(fraction: number, startWall: number, endWall: number): number {
  return startWall + Math.min(1, Math.max(0, fraction)) * (endWall - startWall)
}

/** Where a wall clock falls in a recording's span, 0..1. */
export function fractionOf(wall: number, startWall: number, endWall: number): number {
  if (endWall <= startWall) return 0
  return Math.min(1, Math.max(0, (wall - startWall) / (endWall - startWall)))
}

/** Spans longer than a day do not fit the time of day alone: the timeline's ends then show the date too. */
export function spansDays(startWall: number, endWall: number): boolean {
  return endWall - startWall >= DAY_MS || new Date(startWall).getDate() !== new Date(endWall).getDate()
}
