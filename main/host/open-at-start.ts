// What a host opens when it starts: a workspace named on the command line (`npm start -- my.zeroscope`, or the
// installed app given a file by the desktop), else the last one if the user asked for that. Returns whether one
// opened, so the host starts its demo only into an empty setup.
import { resolve } from 'node:path'
import { WORKSPACE_EXTENSION } from '../../contract/workspace-schema'
import type { Services } from './services'

export function workspaceArgument(argv: readonly string[]): string | undefined {
  const file = argv.find((arg) => !arg.startsWith('-') && arg.endsWith(WORKSPACE_EXTENSION))
  return file === undefined ? undefined : resolve(file)
}

export function recordingArguments(argv: readonly string[]): string[] {
  return argv.filter((arg) => !arg.startsWith('-') && /\.(mcap|jsonl|ndjson)$/i.test(arg)).map((arg) => resolve(arg))
}

export async function openAtStart(
  services: Services,
  argv: readonly string[],
  log: (line: string) => void,
): Promise<boolean> {
  // Recordings named on the command line open as read-only sources beside whatever setup there is.
  for (const path of recordingArguments(argv)) {
    await services.engine.sources
      .open(path)
      .catch((error: unknown) => log(`could not open the recording ${path}: ${(error as Error).message}`))
  }
  const settings = await services.settings.get()
  const path = workspaceArgument(argv) ?? (settings.reopenLastWorkspace ? settings.recentWorkspaces[0] : undefined)
  if (path === undefined) return false
  try {
    const opened = await services.engine.workspaces.open({ kind: 'path', path })
    await services.settings.touchWorkspace(opened.path).catch(() => undefined)
    for (const problem of opened.problems) log(`workspace ${opened.name}: ${problem}`)
    return true
  } catch (error) {
    log(`could not open the workspace ${path}: ${(error as Error).message}`)
    return false
  }
}
