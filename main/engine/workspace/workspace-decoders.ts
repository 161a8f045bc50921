// Decoder rules and their .proto files in a workspace: saved with file-local names (a socket's key, the tap's
// place in the file, the .proto's file name), given the new ids again when the workspace opens. A rule whose
// socket or tap was not restored, or whose .proto no longer parses, is a listed problem, not a failed open.
import type { DecoderRule, DecoderRuleInput } from '../../../contract/decoders'
import type { WorkspaceDecoders } from '../../../contract/workspace-schema'
import type { EngineDecoders } from '../decode/engine-decoders'

export function savedDecoders(
  decoders: EngineDecoders,
  socketKeys: ReadonlySet<string>,
  tapOrder: readonly string[],
): { saved: WorkspaceDecoders; warnings: string[] } {
  const files = decoders.rules.schemas.files()
  const nameOf = new Map(files.map((f) => [f.schemaId, f.name]))
  const warnings: string[] = []
  const rules: WorkspaceDecoders['rules'] = []
  for (const rule of decoders.rules.list()) {
    const saved = savedRule(rule, nameOf, socketKeys, tapOrder)
    if (saved === undefined)
      warnings.push(`decoder rule ${rule.ruleId} names a socket or tap that is not saved; left out`)
    else rules.push(saved)
  }
  return { saved: { protos: files.map(({ name, text }) => ({ name, text })), rules }, warnings }
}

function savedRule(
  rule: DecoderRule,
  nameOf: ReadonlyMap<string, string>,
  socketKeys: ReadonlySet<string>,
  tapOrder: readonly string[],
): WorkspaceDecoders['rules'][number] | undefined {
  const { ruleId: _ruleId, ...input } = rule
  let scope = input.scope
  if (scope.kind === 'socket' && !socketKeys.has(scope.socketId)) return undefined
  if (scope.kind === 'tap') {
    const index = tapOrder.indexOf(scope.tapId)
    if (index < 0) return undefined
    scope = { kind: 'tap', tapId: `tap${index + 1}` }
  }
  const decoder = input.decoder
  if (decoder.kind !== 'protobuf') return { ...input, scope, decoder }
  const name = nameOf.get(decoder.schemaId)
  return name === undefined ? undefined : { ...input, scope, decoder: { ...decoder, schemaId: name } }
}

export function restoreDecoders(
  saved: WorkspaceDecoders | undefined,
  decoders: EngineDecoders,
  socketIds: Readonly<Record<string, string>>,
  tapIds: readonly (string | undefined)[],
): string[] {
  decoders.clear()
  if (saved === undefined) return []
  const problems: string[] = []
  const schemaIds = new Map<string, string>()
  for (const proto of saved.protos) {
    try {
      schemaIds.set(proto.name, decoders.loadProto(proto.name, proto.text).schemaId)
    } catch (error) {
      problems.push(`${proto.name}: ${(error as Error).message}`)
    }
  }
  for (const rule of saved.rules) {
    let scope: DecoderRuleInput['scope'] = rule.scope
    if (rule.scope.kind === 'socket') {
      const socketId = socketIds[rule.scope.socketId]
      if (socketId === undefined) {
        problems.push(`a decoder rule names socket ${rule.scope.socketId}, which the file does not have`)
        continue
      }
      scope = { kind: 'socket', socketId }
    } else if (rule.scope.kind === 'tap') {
      const tapId = tapIds[Number(rule.scope.tapId.slice(3)) - 1]
      if (tapId === undefined) {
        problems.push(`a decoder rule names ${rule.scope.tapId}, a tap that was not restored`)
        continue
      }
      scope = { kind: 'tap', tapId }
    }
    let decoder: DecoderRuleInput['decoder']
    if (rule.decoder.kind === 'protobuf') {
      const schemaId = schemaIds.get(rule.decoder.schemaId)
      if (schemaId === undefined) {
        problems.push(`a decoder rule uses ${rule.decoder.schemaId}, which did not load`)
        continue
      }
      decoder = { ...rule.decoder, schemaId }
    } else decoder = rule.decoder
    try {
      decoders.add({ scope, topicPrefix: rule.topicPrefix, frame: rule.frame, decoder })
    } catch (error) {
      problems.push(`decoder rule: ${(error as Error).message}`)
    }
  }
  return problems
}
