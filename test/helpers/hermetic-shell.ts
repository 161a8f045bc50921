// The shell tests start instead of the login shell: bash without profile or rc files (sh where there is no
// bash). A login profile that hangs, or a lock a killed profile left behind (pyenv's rehash lock, seen here),
// must not stall the tests; one e2e spec keeps the real login shell.
import { existsSync } from 'node:fs'
import { shellLaunchFrom } from '../../main/terminal/terminal'

/** As ZEROSCOPE_SHELL takes it, for hosts started as processes. */
export const HERMETIC_SHELL_COMMAND = existsSync('/bin/bash') ? '/bin/bash --noprofile --norc' : '/bin/sh'

/** The same, for services created in the test process. */
export const HERMETIC_SHELL = shellLaunchFrom(HERMETIC_SHELL_COMMAND)
