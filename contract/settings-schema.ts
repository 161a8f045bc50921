// Settings the host keeps for the user (a file beside the app's data, written atomically), so that a second
// browser, another port of the browser host, or the next start sees the same. Validated when read and when set.
import { z } from 'zod'

export const SETTINGS_VERSION = 1

export const settingsPatch = z.strictObject({
  /** Pane sizes and toggles the user set (sidebar width, terminal open and height): plain values. */
  layout: z
    .record(z.string().max(64), z.union([z.number(), z.boolean(), z.string().max(200)]))
    .refine((l) => Object.keys(l).length <= 50, 'at most 50 layout values')
    .optional(),
  theme: z.enum(['system', 'dark', 'light']).optional(),
  /** Open the last saved or opened workspace when the app starts. */
  reopenLastWorkspace: z.boolean().optional(),
})
export type SettingsPatch = z.infer<typeof settingsPatch>

export const settingsFile = z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  layout: z.record(z.string().max(64), z.union([z.number(), z.boolean(), z.string().max(200)])),
  theme: z.enum(['system', 'dark', 'light']),
  reopenLastWorkspace: z.boolean(),
  /** Workspace files saved or opened, newest first (the File menu's Open Recent). */
  recentWorkspaces: z.array(z.string().max(4096)).max(10),
})
export type Settings = z.infer<typeof settingsFile>

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  layout: {},
  theme: 'system',
  reopenLastWorkspace: false,
  recentWorkspaces: [],
}
