// Pane sizes the user dragged, remembered across starts.
const KEY = 'zeroscope.layout'

function saved(): number {
  try {
    const width = (JSON.parse(localStorage.getItem(KEY) ?? '{}') as { sidebar?: unknown }).sidebar
    return typeof width === 'number' ? width : 340
  } catch {
    return 340
  }
}

class LayoutState {
  sidebar = $state(saved())

  resizeSidebar(delta: number): void {
    this.sidebar = Math.max(260, Math.min(window.innerWidth - 480, this.sidebar + delta))
    localStorage.setItem(KEY, JSON.stringify({ sidebar: this.sidebar }))
  }
}

export const layout = new LayoutState()
