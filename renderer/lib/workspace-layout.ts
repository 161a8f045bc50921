// The page's layout as plain values: what the host's settings remember and a workspace file carries. Values
// come from a file or another page, so each is read back only when it is of the right type and in range. Pure.

export type LayoutValues = Record<string, number | boolean | string>

/** The layout's keys, one place: settings and workspaces must name them alike. */
export const LAYOUT_KEYS = {
  sidebar: 'sidebar',
  terminalOpen: 'terminalOpen',
  terminalHeight: 'terminalHeight',
} as const

export const DEFAULT_SIDEBAR = 340
export const MIN_SIDEBAR = 260
export const DEFAULT_TERMINAL_HEIGHT = 280
export const MIN_TERMINAL_HEIGHT = 120

/** A number from `values` when it is finite and in [min, max], else undefined (the caller keeps its own). */
export function layoutNumber(values: LayoutValues, key: string, min: number, max: number): number | undefined {
  const value = values[key]
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max
    ? Math.round(value)
    : undefined
}

export function layoutFlag(values: LayoutValues, key: string): boolean | undefined {
  const value = values[key]
  return typeof value === 'boolean' ? value : undefined
}

/** Only the keys this page knows: a file or an older page's leftovers are not written back into settings. */
export function knownLayout(values: LayoutValues): LayoutValues {
  const known: LayoutValues = {}
  for (const key of Object.values(LAYOUT_KEYS)) if (key in values) known[key] = values[key]!
  return known
}
