// Pane sizes the user dragged, remembered by the host's settings (and carried by a workspace).
import { DEFAULT_SIDEBAR, LAYOUT_KEYS, layoutNumber, MIN_SIDEBAR, type LayoutValues } from '../lib/workspace-layout'
import { settings } from './settings.svelte'

/** Wider than any screen: a value from another machine is taken as long as it is sane. */
const MAX_SIDEBAR = 4000

class LayoutState {
  sidebar = $state(DEFAULT_SIDEBAR)

  resizeSidebar(delta: number): void {
    this.sidebar = Math.max(MIN_SIDEBAR, Math.min(window.innerWidth - 480, this.sidebar + delta))
    settings.remember(this.values())
  }

  apply(values: LayoutValues): void {
    this.sidebar = layoutNumber(values, LAYOUT_KEYS.sidebar, MIN_SIDEBAR, MAX_SIDEBAR) ?? this.sidebar
  }

  values(): LayoutValues {
    return { [LAYOUT_KEYS.sidebar]: this.sidebar }
  }
}

export const layout = new LayoutState()
settings.onLayout((values) => layout.apply(values))
