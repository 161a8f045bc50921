// Shell-like word splitting for the inspector console: spaces separate words; "double quotes" allow
// \" \\ \n \t \r \0 \xHH escapes; 'single quotes' are literal.

export type Tokens = { kind: 'ok'; words: string[] } | { kind: 'error'; message: string }

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '"': '"', '\\': '\\' }

export function tokenize(line: string): Tokens {
  const words: string[] = []
  let current = ''
  let inWord = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(current)
      current = ''
      inWord = false
      continue
    }
    inWord = true
    if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) return { kind: 'error', message: `unterminated ' quote starting at column ${i + 1}` }
      current += line.slice(i + 1, end)
      i = end
    } else if (c === '"') {
      let j = i + 1
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] !== '\\') {
          current += line[j]
          continue
        }
        const next = line[j + 1]
        if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(j + 2, j + 4))) {
          current += String.fromCharCode(parseInt(line.slice(j + 2, j + 4), 16))
          j += 3
        } else if (next !== undefined && next in ESCAPES) {
          current += ESCAPES[next]
          j += 1
        } else {
          return { kind: 'error', message: `unknown escape \\${next ?? ''} at column ${j + 1}` }
        }
      }
      if (j >= line.length) return { kind: 'error', message: `unterminated " quote starting at column ${i + 1}` }
      i = j
    } else {
      current += c
    }
  }
  if (inWord) words.push(current)
  return { kind: 'ok', words }
}
