// Word-level comparison of two short texts (a message against the previous one on the same topic).
export interface Token {
  text: string
  changed: boolean
}

export function wordDiff(previous: string, current: string): Token[] {
  const before = previous.split(/(\s+)/)
  return current.split(/(\s+)/).map((text, i) => ({ text, changed: /\S/.test(text) && before[i] !== text }))
}
