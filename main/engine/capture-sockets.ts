// The capture ring's sockets: each socket id as a small number (what the columns store per entry), and per
// socket how many of its entries the ring dropped, counted where the dropping happens.
export class CaptureSockets {
  /** Socket id by index. Only grows: entries of a closed socket still name it. */
  readonly ids: string[] = []
  private readonly indexOf = new Map<string, number>()
  private readonly drops: number[] = []
  /** The drop counts as `takeDropsMoved` last saw them, so only sockets whose count moved are reported. */
  private readonly dropsTaken: number[] = []
  private dropsMoved = false
  private lastId = ''
  private lastIndex = 0

  /** The socket's index, given one on first sight. */
  index(socketId: string): number {
    // Messages come in runs from one socket: skip the map lookup for a repeat.
    if (socketId === this.lastId) return this.lastIndex
    let index = this.indexOf.get(socketId)
    if (index === undefined) {
      index = this.ids.length
      this.ids.push(socketId)
      this.indexOf.set(socketId, index)
      this.drops.push(0)
      this.dropsTaken.push(0)
    }
    this.lastId = socketId
    this.lastIndex = index
    return index
  }

  /** The socket's index if it ever had an entry. */
  find(socketId: string): number | undefined {
    return this.indexOf.get(socketId)
  }

  /** One entry of the socket at `index` was evicted. */
  dropped(index: number): void {
    this.drops[index]!++
    this.dropsMoved = true
  }

  dropsOf(socketId: string): number {
    const index = this.indexOf.get(socketId)
    return index === undefined ? 0 : this.drops[index]!
  }

  /** Ids of the sockets whose drop count moved since the last call (none, without a scan, if nothing was dropped). */
  takeDropsMoved(): ReadonlySet<string> {
    if (!this.dropsMoved) return NONE
    this.dropsMoved = false
    const moved = new Set<string>()
    for (let index = 0; index < this.drops.length; index++) {
      if (this.drops[index] === this.dropsTaken[index]) continue
      this.dropsTaken[index] = this.drops[index]!
      moved.add(this.ids[index]!)
    }
    return moved
  }
}

const NONE: ReadonlySet<string> = new Set()
