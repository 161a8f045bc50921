// File-system failures (a full disk, a read-only or forbidden folder, a file in the way) are the user's to fix,
// not bugs: they become IO_ERROR with a sentence saying where, what happened and what to do about it.
import { EngineError } from './errors'

/** What the errno means to someone writing a file, and what they can do (before "or <elsewhere>"). */
const EXPLAIN: Record<string, [meaning: string, fix: string | undefined]> = {
  ENOSPC: ['the disk is full', 'free some space'],
  EDQUOT: ['the disk quota is used up', 'free some space'],
  EROFS: ['the file system is read-only', undefined],
  EACCES: ['permission denied', 'allow writing there'],
  EPERM: ['the operation is not permitted there', 'allow writing there'],
  ENOTDIR: ['a part of that path is a file, not a folder', 'move that file away'],
  'EEXIST mkdir': ['that path is a file, not a folder', 'move that file away'],
  EEXIST: ['every free file name there is taken', 'move old files away'],
  EISDIR: ['a folder is in the way of the file', 'move that folder away'],
  ENOENT: ['the folder disappeared while writing', 'check that it still exists'],
  ENAMETOOLONG: ['the path is too long', undefined],
  ELOOP: ['the path loops through symbolic links', undefined],
  EMFILE: ['too many files are open in this process', 'try again when fewer are open'],
  ENFILE: ['too many files are open on this machine', 'try again when fewer are open'],
  EIO: ['the disk reported an input/output error', 'check the disk'],
  EBUSY: ['the file or folder is busy', 'try again'],
}

interface SystemErrorLike {
  code?: unknown
  syscall?: unknown
  message?: unknown
}

/**
 * An EngineError('IO_ERROR') for a Node system error raised by a file-system call, naming `action` ("cannot
 * write the export to /x") and suggesting `elsewhere`; anything else (a bug) is returned unchanged.
 */
export function fromFs(action: string, error: unknown, elsewhere: string): unknown {
  if (error instanceof EngineError || typeof error !== 'object' || error === null) return error
  const { code, syscall, message } = error as SystemErrorLike
  if (typeof code !== 'string' || typeof syscall !== 'string') return error
  const known = EXPLAIN[`${code} ${syscall}`] ?? EXPLAIN[code]
  const [meaning, fix] = known ?? [`the file system refused (${String(message)})`, undefined]
  return new EngineError('IO_ERROR', `${action}: ${meaning} (${code}); ${fix ? `${fix} or ` : ''}${elsewhere}`)
}
