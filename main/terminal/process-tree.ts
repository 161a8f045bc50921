// Kills a process and every descendant. A pty's shell starts jobs in their own process groups (job control),
// so killing the shell's group is not enough; the tree is collected first (before the shell dies and its
// children are re-parented) and then killed.
import { execFileSync } from 'node:child_process'

function childrenByParent(): Map<number, number[]> {
  const table = new Map<number, number[]>()
  let listing: string
  try {
    listing = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' })
  } catch {
    return table
  }
  for (const line of listing.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number)
    if (!pid || ppid === undefined || Number.isNaN(ppid)) continue
    table.set(ppid, [...(table.get(ppid) ?? []), pid])
  }
  return table
}

export function descendants(root: number): number[] {
  const table = childrenByParent()
  const found: number[] = []
  const queue = [root]
  while (queue.length > 0) {
    const pid = queue.shift()!
    for (const child of table.get(pid) ?? []) {
      found.push(child)
      queue.push(child)
    }
  }
  return found
}

/** SIGKILLs `root` and its descendants; returns the pids it signalled. */
export function killTree(root: number): number[] {
  if (process.platform === 'win32') return []
  const pids = [root, ...descendants(root)]
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  return pids
}
