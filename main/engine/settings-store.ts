// The user's settings as one JSON file the host owns. Reads never fail the app: a missing file is the
// defaults, a damaged or foreign one is kept aside (settings.json.damaged) and replaced by the defaults, with
// a note the page can show. Every change is written atomically (a crash leaves the old file or the new one).
import { readFile, rename } from 'node:fs/promises'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { DEFAULT_SETTINGS, settingsFile, type Settings, type SettingsPatch } from '../../contract/settings-schema'
import { writeFileAtomic } from './atomic-file'
import { fromFs } from './fs-errors'

const MAX_RECENT = 10

export class SettingsStore {
  private current: Settings = DEFAULT_SETTINGS
  private loaded: Promise<void> | undefined
  /** Why the settings on disk were not used, once (shown by the page). */
  note: string | undefined
  private writing: Promise<unknown> = Promise.resolve()
  private readonly listeners: ((settings: Settings) => void)[] = []

  constructor(
    readonly path: string,
    private readonly changed: (settings: Settings) => void,
  ) {}

  async get(): Promise<Settings> {
    this.loaded ??= this.load()
    await this.loaded
    return this.current
  }

  async set(patch: SettingsPatch): Promise<Settings> {
    const now = await this.get()
    return this.replace({ ...now, ...patch, layout: patch.layout ? { ...now.layout, ...patch.layout } : now.layout })
  }

  /** Called after every change is written (the Electron host rebuilds its Open Recent menu). */
  onChange(listener: (settings: Settings) => void): void {
    this.listeners.push(listener)
  }

  async clearRecent(): Promise<Settings> {
    return this.replace({ ...(await this.get()), recentWorkspaces: [] })
  }

  /** A workspace was saved or opened: first in the recent list. */
  async touchWorkspace(path: string): Promise<Settings> {
    const now = await this.get()
    return this.replace({
      ...now,
      recentWorkspaces: [path, ...now.recentWorkspaces.filter((p) => p !== path)].slice(0, MAX_RECENT),
    })
  }

  private async replace(next: Settings): Promise<Settings> {
    this.current = next
    const write = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true })
      await writeFileAtomic(this.path, [`${JSON.stringify(next, null, 2)}\n`])
    })
    this.writing = write.catch(() => undefined)
    try {
      await write
    } catch (error) {
      throw fromFs(`cannot save the settings to ${this.path}`, error, 'set ZEROSCOPE_SETTINGS to another file')
    }
    this.changed(next)
    for (const listener of this.listeners) listener(next)
    return next
  }

  private async load(): Promise<void> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.note = `${this.path} could not be read (${(error as Error).message}); using the defaults`
      return
    }
    let parsed: ReturnType<typeof settingsFile.safeParse> | undefined
    try {
      parsed = settingsFile.safeParse(JSON.parse(text))
    } catch {
      parsed = undefined
    }
    if (parsed?.success) {
      this.current = parsed.data
      return
    }
    const aside = `${this.path}.damaged`
    await rename(this.path, aside).catch(() => undefined)
    this.note = `${this.path} was not valid settings and was kept as ${aside}; using the defaults`
  }
}
