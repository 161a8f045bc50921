// Live plots: the engine's list (the `plots` event, plot:list at connect) and the points it sends a few times a
// second, kept in plain per-series rings (lib/plot-series.ts). A point does not wake Svelte: one version counter
// is bumped at most once an animation frame, and the charts redraw from the rings when it moves.
import { Channel } from '../../contract/channels'
import type { PlotPoints, PlotSummary } from '../../contract/decoders'
import { requireApi } from '../lib/api'
import {
  createSeriesSet,
  DEFAULT_WINDOW_MS,
  mergePoints,
  type PlotSeriesSet,
  type PlotWindowMs,
} from '../lib/plot-series'

/** Paused: the chart holds the window that ended at `at` (the plot's newest point then); points still arrive. */
export type PlotView = { kind: 'live' } | { kind: 'paused'; at: number }

/** A plot the engine would not remove, shown on its card. */
export type PlotRemoval =
  { kind: 'none' } | { kind: 'removing'; plotId: string } | { kind: 'failed'; plotId: string; message: string }

/** One plot as the panel shows it; `set` is the plain ring store, read by the chart when `version` moves. */
export interface PlotItem {
  summary: PlotSummary
  set: PlotSeriesSet
  view: PlotView
  windowMs: PlotWindowMs
}

export interface PlotPanelProps {
  plots: PlotItem[]
  /** Bumped at most once a frame while points arrive. */
  version: number
  removal: PlotRemoval
  onPause: (plotId: string) => void
  onResume: (plotId: string) => void
  onWindow: (plotId: string, windowMs: PlotWindowMs) => void
  onRemove: (plotId: string) => void
}

interface Choice {
  view: PlotView
  windowMs: PlotWindowMs
}

const LIVE: Choice = { view: { kind: 'live' }, windowMs: DEFAULT_WINDOW_MS }

const nextFrame = (run: () => void): void => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run)
  else setTimeout(run, 16)
}

class PlotsState {
  list = $state.raw<PlotSummary[]>([])
  version = $state(0)
  removal = $state.raw<PlotRemoval>({ kind: 'none' })
  private choices = $state.raw<Record<string, Choice>>({})
  /** Not state: written for every event, read by the charts when `version` moves. */
  private readonly sets = new Map<string, PlotSeriesSet>()
  private bumpPending = false

  items = $derived<PlotItem[]>(
    this.list.map((summary) => ({
      summary,
      set: this.setOf(summary.plotId),
      ...(this.choices[summary.plotId] ?? LIVE),
    })),
  )

  /** The `plots` event, and plot:list's answer at (re)connect. Points of plots no longer listed are let go. */
  replace(plots: PlotSummary[]): void {
    this.list = plots
    const ids = new Set(plots.map((p) => p.plotId))
    for (const id of this.sets.keys()) if (!ids.has(id)) this.sets.delete(id)
    const choices: Record<string, Choice> = {}
    for (const id of ids) if (this.choices[id]) choices[id] = this.choices[id]
    this.choices = choices
    if (this.removal.kind !== 'none' && !ids.has(this.removal.plotId)) this.removal = { kind: 'none' }
  }

  /** The `plot-points` event: merged into the rings now, drawn at the next frame. */
  points(points: PlotPoints[]): void {
    if (points.length === 0) return
    for (const p of points) mergePoints(this.setOf(p.plotId), p)
    if (this.bumpPending) return
    this.bumpPending = true
    nextFrame(() => {
      this.bumpPending = false
      this.version++
    })
  }

  /** plot:list, for a page that (re)connects; the `plots` event keeps it current after. */
  async load(): Promise<void> {
    const result = await requireApi().call(Channel.plotList, {})
    if (result.ok) this.replace(result.value)
  }

  async remove(plotId: string): Promise<void> {
    this.removal = { kind: 'removing', plotId }
    const result = await requireApi().call(Channel.plotRemove, { plotId })
    if (!result.ok) {
      this.removal = { kind: 'failed', plotId, message: result.error.message }
      return
    }
    this.removal = { kind: 'none' }
    // The `plots` event follows; the card goes at once all the same.
    this.replace(this.list.filter((p) => p.plotId !== plotId))
  }

  pause(plotId: string): void {
    const latest = this.setOf(plotId).latest
    this.choose(plotId, { view: { kind: 'paused', at: Number.isFinite(latest) ? latest : Date.now() } })
  }

  resume(plotId: string): void {
    this.choose(plotId, { view: { kind: 'live' } })
  }

  setWindow(plotId: string, windowMs: PlotWindowMs): void {
    this.choose(plotId, { windowMs })
  }

  /** Another engine (the host restarted): its plot ids name other plots. */
  forget(): void {
    this.sets.clear()
    this.list = []
    this.choices = {}
    this.removal = { kind: 'none' }
    this.version++
  }

  private choose(plotId: string, patch: Partial<Choice>): void {
    this.choices = { ...this.choices, [plotId]: { ...(this.choices[plotId] ?? LIVE), ...patch } }
  }

  private setOf(plotId: string): PlotSeriesSet {
    let set = this.sets.get(plotId)
    if (!set) this.sets.set(plotId, (set = createSeriesSet()))
    return set
  }
}

export const plots = new PlotsState()
