// Frame input checks shared by the engine's codec and the composer (validated as you type). Pure.

export type FrameEncoding = 'text' | 'json' | 'hex' | 'base64'

const HEX = /^[0-9a-fA-F]*$/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Why `data` is not valid in `enc`, or null when it is. */
export function frameProblem(enc: FrameEncoding, data: string): string | null {
  switch (enc) {
    case 'text':
      return null
    case 'json':
      try {
        JSON.parse(data)
        return null
      } catch (error) {
        return `not valid JSON (${(error as Error).message})`
      }
    case 'hex': {
      const compact = data.replace(/[\s:]/g, '')
      if (!HEX.test(compact)) return 'hex may only contain 0-9, a-f (spaces and ":" are ignored)'
      return compact.length % 2 === 0 ? null : 'hex needs an even number of digits'
    }
    case 'base64': {
      const compact = data.replace(/\s/g, '')
      return BASE64.test(compact) && compact.length % 4 !== 1 ? null : 'not valid base64'
    }
  }
}
