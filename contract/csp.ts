// The page's Content-Security-Policy, one copy for both places that state it: the browser host's response
// header and the <meta> in index.html (what the Electron window, loading from file://, goes by).

const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  // Svelte sets style attributes at run time; no script may be inline or eval'd.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
]

/** As an HTTP header: frame-ancestors is honoured only there (browsers ignore it in a <meta>). */
export const CSP_HEADER = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ')

/** As the <meta http-equiv> of index.html. */
export const CSP_META = DIRECTIVES.join('; ')
