// The user's settings, kept by the host (settings:get / settings:set and the 'settings' event), so that a
// second browser or the next start sees the same layout. The page keeps working on its defaults when the host
// cannot give or keep them; why is said once.
import { Channel } from '../../contract/channels'
import { DEFAULT_SETTINGS, type Settings } from '../../contract/settings-schema'
import { requireApi } from '../lib/api'
import type { LayoutValues } from '../lib/workspace-layout'

/** Layout writes (a sidebar drag) are sent at most this often; the last value always goes. */
const MIN_WRITE_GAP_MS = 200

class SettingsState {
  value = $state.raw<Settings>(DEFAULT_SETTINGS)
  /** Something about the settings the user should know once (the host's note, a write that failed). */
  notice = $state<string | null>(null)
  private noticed = new Set<string>()
  private readonly appliers: ((layout: LayoutValues) => void)[] = []
  private pending: LayoutValues = {}
  private inFlight = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private lastSent = 0

  /** `apply` gets the layout whenever the host's settings arrive, except while this page is changing it. */
  onLayout(apply: (layout: LayoutValues) => void): void {
    this.appliers.push(apply)
  }

  /** The answer to settings:get on (re)connect. */
  adopt(answer: { settings: Settings; note?: string }): void {
    if (answer.note) this.tell(answer.note)
    this.received(answer.settings)
    // Changes made while the host was away go now.
    this.schedule()
  }

  received(settings: Settings): void {
    this.value = settings
    // A value this page is sending must not be overwritten by an older one echoed back meanwhile.
    if (this.inFlight || this.timer !== undefined || Object.keys(this.pending).length > 0) return
    for (const apply of this.appliers) apply(settings.layout)
  }

  remember(layout: LayoutValues): void {
    this.pending = { ...this.pending, ...layout }
    this.schedule()
  }

  /** Sends what is pending at once (the page is going away: a reload must find the last width). */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    void this.send()
  }

  async setReopenLast(reopen: boolean): Promise<void> {
    await this.set({ reopenLastWorkspace: reopen })
  }

  dismissNotice(): void {
    this.notice = null
  }

  private tell(message: string): void {
    if (this.noticed.has(message)) return
    this.noticed.add(message)
    this.notice = message
  }

  private schedule(): void {
    if (this.inFlight || this.timer !== undefined || Object.keys(this.pending).length === 0) return
    const wait = this.lastSent + MIN_WRITE_GAP_MS - Date.now()
    if (wait <= 0) void this.send()
    else
      this.timer = setTimeout(() => {
        this.timer = undefined
        void this.send()
      }, wait)
  }

  private async send(): Promise<void> {
    if (Object.keys(this.pending).length === 0) return
    const layout = this.pending
    this.pending = {}
    this.inFlight = true
    this.lastSent = Date.now()
    const outcome = await this.set({ layout })
    this.inFlight = false
    // Unreachable: sent again on reconnect (adopt). Refused: said once, and this page goes on with its values.
    if (outcome === 'unreachable') this.pending = { ...layout, ...this.pending }
    else this.schedule()
  }

  private async set(patch: {
    layout?: LayoutValues
    reopenLastWorkspace?: boolean
  }): Promise<'saved' | 'refused' | 'unreachable'> {
    let api
    try {
      api = requireApi()
    } catch {
      return 'unreachable'
    }
    const result = await api.call(Channel.settingsSet, patch)
    if (result.ok) {
      this.value = result.value
      return 'saved'
    }
    // A link that is down says so in the top bar; only the host's own refusal is news here.
    if (result.error.code === 'DISCONNECTED') return 'unreachable'
    this.tell(`Settings not saved: ${result.error.message}`)
    return 'refused'
  }
}

export const settings = new SettingsState()

if (typeof window !== 'undefined') window.addEventListener('pagehide', () => settings.flush())
