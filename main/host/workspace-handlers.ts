// The workspace channels: a file named in the host's workspaces folder, picked in a native dialog (Electron),
// or uploaded by the page (the browser host's way to open a workspace from the user's own disk).
import { Channel } from '../../contract/channels'
import type { Request, Response } from '../../contract/schemas'
import { EngineError } from '../engine/errors'
import type { WorkspaceSource, WorkspaceTarget } from '../engine/workspace/workspaces'
import type { Services } from './services'

type C = typeof Channel
type Handler<K extends C[keyof C]> = (services: Services, request: Request<K>) => Promise<Response<K>> | Response<K>

function noDialog(services: Services): never {
  throw new EngineError(
    'UNSUPPORTED',
    `this host has no file dialog; name a workspace in its folder (${services.engine.workspaces.folder}) or upload one`,
  )
}

const save: Handler<C['workspaceSave']> = async (services, r) => {
  let target: WorkspaceTarget
  const current = services.engine.workspaces.current()
  if (r.file.kind === 'current' && current.kind === 'open') {
    target = { kind: 'path', path: current.path }
  } else if (r.file.kind === 'ask' || r.file.kind === 'current') {
    const path = await (services.dialogs ?? noDialog(services)).saveWorkspace()
    if (path === undefined) return { kind: 'cancelled' }
    target = { kind: 'path', path }
  } else target = { kind: 'folder', name: r.file.name }
  const saved = await services.engine.workspaces.save(target, r.includeSecrets, r.ui)
  await services.settings.touchWorkspace(saved.path).catch(() => undefined)
  return saved
}

const open: Handler<C['workspaceOpen']> = async (services, r) => {
  let source: WorkspaceSource
  if (r.file.kind === 'ask') {
    const path = await (services.dialogs ?? noDialog(services)).openWorkspace()
    if (path === undefined) return { kind: 'cancelled' }
    source = { kind: 'path', path }
  } else source = r.file
  const opened = await services.engine.workspaces.open(source)
  // An upload has no path on this machine to open again.
  if (source.kind !== 'upload') await services.settings.touchWorkspace(opened.path).catch(() => undefined)
  return opened
}

export const workspaceHandlers = {
  [Channel.workspaceSave]: save,
  [Channel.workspaceOpen]: open,
  [Channel.workspaceNew]: async ({ engine }) => {
    await engine.workspaces.clearSetup()
    return null
  },
  [Channel.workspaceFiles]: ({ engine }) => engine.workspaces.files(),
  [Channel.workspaceCurrent]: ({ engine }) => engine.workspaces.current(),
  [Channel.settingsGet]: async ({ settings }) => {
    const value = await settings.get()
    return settings.note === undefined ? { settings: value } : { settings: value, note: settings.note }
  },
  [Channel.settingsSet]: ({ settings }, r) => settings.set(r),
} satisfies {
  [
    K in C[
      | 'workspaceSave'
      | 'workspaceOpen'
      | 'workspaceNew'
      | 'workspaceFiles'
      | 'workspaceCurrent'
      | 'settingsGet'
      | 'settingsSet']
  ]: Handler<K>
}
