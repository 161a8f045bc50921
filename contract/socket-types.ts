// The socket types ZeroScope makes: the standard ones, and libzmq's draft ones where it has them. Pure constants,
// imported by every contract module that checks a socket type.
export const SOCKET_TYPES = [
  'pair',
  'pub',
  'sub',
  'req',
  'rep',
  'dealer',
  'router',
  'pull',
  'push',
  'xpub',
  'xsub',
  'stream',
] as const
export const DRAFT_SOCKET_TYPES = ['server', 'client', 'radio', 'dish', 'gather', 'scatter', 'datagram'] as const
export type StandardSocketType = (typeof SOCKET_TYPES)[number]
export type DraftSocketType = (typeof DRAFT_SOCKET_TYPES)[number]
export type SocketType = StandardSocketType | DraftSocketType
