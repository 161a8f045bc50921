// What a shell tab that has printed nothing yet says, by how long it has been waiting. Pure.

/** After this long without output a shell is not just starting: something (usually its profile) holds it up. */
export const SLOW_SHELL_MS = 3000

export type ShellWait = { kind: 'starting' } | { kind: 'slow'; message: string }

export function shellWait(waitedMs: number): ShellWait {
  return waitedMs < SLOW_SHELL_MS
    ? { kind: 'starting' }
    : {
        kind: 'slow',
        message:
          "waiting for your login shell's profile (~/.profile, ~/.bashrc…) to finish; " +
          'set ZEROSCOPE_SHELL to run another command',
      }
}
