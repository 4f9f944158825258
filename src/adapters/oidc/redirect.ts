import { SessionKitError } from '../../core/errors'

// What survives the trip to the provider and back: only the transient state
// of one sign-in (state, PKCE verifier, nonce, where to return) in this tab's
// sessionStorage, deleted when the answer is read. Never a token.

/** One sign-in in flight, as stored for the way back. */
export interface PendingSignIn {
  state: string
  codeVerifier: string
  nonce: string
  /** A path on this origin to show once signed in. */
  returnTo: string
  /** A `prompt=none` attempt: "login required" is then a plain signed-out answer. */
  silent: boolean
}

/** The provider's answer found in the page's URL. */
export interface CallbackAnswer {
  params: URLSearchParams
}

/** Small, safe wrappers: storage can be missing or throw (private mode, a sandboxed frame). */
function storage(kind: 'sessionStorage' | 'localStorage'): Storage | null {
  try {
    return globalThis[kind] ?? null
  } catch {
    return null
  }
}
export function readStorage(kind: 'sessionStorage' | 'localStorage', key: string): string | null {
  try {
    return storage(kind)?.getItem(key) ?? null
  } catch {
    return null
  }
}
export function writeStorage(kind: 'sessionStorage' | 'localStorage', key: string, value: string | null) {
  try {
    if (value === null) storage(kind)?.removeItem(key)
    else storage(kind)?.setItem(key, value)
  } catch {
    // Without storage the flag is simply not kept: at worst one more silent attempt.
  }
}

/** The transient state and the per-tab and per-browser flags of one adapter (one key). */
export class RedirectState {
  readonly #pendingKey: string
  readonly #triedKey: string
  readonly #endedKey: string

  constructor(key: string) {
    this.#pendingKey = `sessionkit-oidc:${key}:pending`
    this.#triedKey = `sessionkit-oidc:${key}:silent-tried`
    this.#endedKey = `sessionkit-oidc:${key}:ended`
  }

  /** Keeps a sign-in's transient state for the way back. Throws when this tab cannot keep it. */
  save(pending: PendingSignIn) {
    const store = storage('sessionStorage')
    try {
      if (!store) throw new Error('no sessionStorage')
      store.setItem(this.#pendingKey, JSON.stringify({ v: 1, ...pending }))
    } catch (cause) {
      throw new SessionKitError(
        'not_supported',
        'signInWithRedirect: this page cannot use sessionStorage (a sandboxed frame, or storage turned off), so the sign-in answer could not be checked on the way back; open the app in a normal tab.',
        { cause },
      )
    }
  }

  /** Reads and deletes the pending sign-in: an answer can be used once. */
  take(): PendingSignIn | null {
    const raw = readStorage('sessionStorage', this.#pendingKey)
    writeStorage('sessionStorage', this.#pendingKey, null)
    if (raw === null) return null
    try {
      const o = JSON.parse(raw) as Record<string, unknown>
      const strings = ['state', 'codeVerifier', 'nonce', 'returnTo'] as const
      if (o.v !== 1 || strings.some((k) => typeof o[k] !== 'string')) return null
      return { state: o.state, codeVerifier: o.codeVerifier, nonce: o.nonce, returnTo: o.returnTo, silent: o.silent === true } as PendingSignIn
    } catch {
      return null
    }
  }

  /** Whether this tab already tried a silent sign-in (so it never loops). */
  get silentTried(): boolean {
    return readStorage('sessionStorage', this.#triedKey) !== null
  }
  set silentTried(value: boolean) {
    writeStorage('sessionStorage', this.#triedKey, value ? '1' : null)
  }

  /**
   * Whether the session ended in this browser and nobody signed in since.
   * Browser-wide (localStorage, a flag, never a token): sign-out reaches
   * every tab, so no tab, and no tab opened later, may slip back in silently
   * while the provider's own session may still be alive.
   */
  get ended(): boolean {
    return readStorage('localStorage', this.#endedKey) !== null
  }
  set ended(value: boolean) {
    writeStorage('localStorage', this.#endedKey, value ? '1' : null)
  }
}

/** The provider's answer in the current URL, when the page is our redirect URI with code+state or an error. */
export function readCallback(redirectUri: string): CallbackAnswer | null {
  const href = globalThis.location?.href
  if (!href) return null
  const here = new URL(href)
  const expected = new URL(redirectUri)
  if (here.origin !== expected.origin || here.pathname !== expected.pathname) return null
  const params = here.searchParams
  if (!(params.has('code') || params.has('error')) || !(params.has('state') || params.has('error'))) return null
  return { params: new URLSearchParams(params) }
}

/** The provider's answer parameters, so the page's URL can be cleaned of them. */
const ANSWER_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss', 'session_state']

/**
 * Removes the answer from the address bar (history and reloads never see the
 * code), landing on `returnTo` when known.
 */
export function cleanCallbackUrl(returnTo: string | null) {
  const history = globalThis.history
  const location = globalThis.location
  if (!history?.replaceState || !location) return
  if (returnTo !== null) return history.replaceState(history.state, '', returnTo)
  const url = new URL(location.href)
  for (const name of ANSWER_PARAMS) url.searchParams.delete(name)
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`)
}

/** Where the app is now: a silent sign-in comes back here, and a sign-in without `returnTo`. */
export function currentPath(): string {
  const location = globalThis.location
  return location ? `${location.pathname}${location.search}${location.hash}` : '/'
}

/** Any origin will do: only whether a path stays on it matters. */
const PLACEHOLDER_ORIGIN = 'http://this-site.invalid'

/** A path that stays on the origin it is read against, as parsed (null otherwise). */
function pathOnThisOrigin(value: string): string | null {
  if (!value.startsWith('/')) return null
  try {
    const parsed = new URL(value, PLACEHOLDER_ORIGIN)
    const path = `${parsed.pathname}${parsed.search}${parsed.hash}`
    // Parsed again: `/a/..//evil.com` parses to the path `//evil.com`, another origin once used.
    return parsed.origin === PLACEHOLDER_ORIGIN && new URL(path, PLACEHOLDER_ORIGIN).origin === PLACEHOLDER_ORIGIN ? path : null
  } catch {
    return null
  }
}

/**
 * Checks `returnTo`: a path on this origin (never another site: that would be
 * an open redirect). Judged as the browser reads the URL, not by its first
 * characters: the URL standard drops tabs and newlines and reads `\` as `/`,
 * so `/\t/evil.com` is `//evil.com`, which `history.replaceState` would refuse
 * at the callback, after the sign-in's state was used up.
 */
export function checkReturnTo(returnTo: unknown): string {
  if (returnTo === undefined) return currentPath()
  const path = typeof returnTo === 'string' ? pathOnThisOrigin(returnTo) : null
  if (path === null) {
    throw new SessionKitError(
      'invalid_option',
      `signInWithRedirect: \`returnTo\` must be a path on this origin starting with "/", such as "/settings"; got ${typeof returnTo === 'string' ? JSON.stringify(returnTo) : String(returnTo)}.`,
    )
  }
  return path
}
