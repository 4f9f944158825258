// Plays the browser's part at the test OpenID provider with fetch: follows
// redirects by hand, keeps the provider's cookies (its login session), fills
// the devInteractions login form and submits the self-submitting logout
// page. Whatever leaves the provider (the app's redirect URI) is returned, not
// fetched: the test hands that URL to the adapter as the page it landed on.

/** Where a navigation at the provider ended. */
export interface ProviderLanding {
  /** The URL outside the provider that the browser was sent to (the callback), or null when it stopped at a page. */
  redirectedTo: string | null
  /** The last answer's status and body, when it stopped at the provider. */
  status: number
  body: string
}

const MAX_HOPS = 20

/** One browser profile at the provider: a cookie jar and the hops it took. */
export class ProviderBrowser {
  readonly #origin: string
  readonly #cookies = new Map<string, string>()
  /** Every URL this browser requested, for a failing test's report. */
  readonly visited: string[] = []

  constructor(issuer: string) {
    this.#origin = new URL(issuer).origin
  }

  /** Whether the provider holds a login session for this browser (its session cookie). */
  get hasProviderSession(): boolean {
    return this.#cookies.has('_session')
  }

  /**
   * Opens `url` (an authorization URL) and signs in as `login` if the provider
   * asks; answers the callback URL it redirects to.
   */
  async signIn(url: string, login = 'ada.lovelace'): Promise<string> {
    let landing = await this.open(url)
    for (let forms = 0; landing.redirectedTo === null && forms < 3; forms++) {
      const form = parseForm(landing.body)
      if (!form) throw new Error(`the provider stopped at a page without a form (${landing.status}): ${landing.body.slice(0, 300)}`)
      const fields = new URLSearchParams(form.fields)
      if (fields.get('prompt') === 'login') {
        fields.set('login', login)
        fields.set('password', 'any')
      }
      landing = await this.#go(new URL(form.action, this.#origin).href, 'POST', fields)
    }
    if (landing.redirectedTo === null) throw new Error(`the provider did not redirect back after sign-in: ${landing.body.slice(0, 300)}`)
    return landing.redirectedTo
  }

  /** Opens `url` (an authorization URL) and presses the login page's "[ Cancel ]": answers the callback URL with the error. */
  async cancel(url: string): Promise<string> {
    const landing = await this.open(url)
    const abort = /href="([^"]*\/abort)"/.exec(landing.body)?.[1]
    if (landing.redirectedTo !== null || !abort) throw new Error(`the provider showed no login page to cancel (${landing.status})`)
    const back = await this.open(new URL(decodeEntities(abort), this.#origin).href)
    if (back.redirectedTo === null) throw new Error(`cancelling did not redirect back (${back.status})`)
    return back.redirectedTo
  }

  /** Opens `url` and follows redirects until the browser leaves the provider or stops at a page. */
  open(url: string): Promise<ProviderLanding> {
    return this.#go(url, 'GET')
  }

  /** Follows an RP-initiated logout URL: submits the self-submitting confirmation, answers where it returns. */
  async logout(url: string): Promise<ProviderLanding> {
    let landing = await this.open(url)
    const confirm = landing.redirectedTo === null ? parseForm(landing.body) : null
    if (confirm) landing = await this.#go(new URL(confirm.action, this.#origin).href, 'POST', new URLSearchParams(confirm.fields))
    return landing
  }

  async #go(url: string, method: 'GET' | 'POST', body?: URLSearchParams): Promise<ProviderLanding> {
    let next: { url: string; method: 'GET' | 'POST'; body?: URLSearchParams } = { url, method, ...(body ? { body } : {}) }
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      if (new URL(next.url).origin !== this.#origin) return { redirectedTo: next.url, status: 0, body: '' }
      this.visited.push(`${next.method} ${next.url}`)
      const response = await fetch(next.url, {
        method: next.method,
        redirect: 'manual',
        headers: {
          accept: 'text/html',
          ...(this.#cookies.size > 0 ? { cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
          ...(next.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(next.body ? { body: next.body.toString() } : {}),
      })
      this.#store(response.headers.getSetCookie())
      const location = response.headers.get('location')
      if (response.status >= 300 && response.status < 400 && location) {
        next = { url: new URL(location, next.url).href, method: 'GET' }
        continue
      }
      const text = await response.text()
      // A form_post answer (or the logout page) would be a page that posts itself; the callback is always a redirect here.
      return { redirectedTo: null, status: response.status, body: text }
    }
    throw new Error(`more than ${MAX_HOPS} redirects at the provider: ${this.visited.slice(-5).join(' → ')}`)
  }

  #store(setCookies: string[]) {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index).trim()
      const value = pair.slice(index + 1).trim()
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === ''
      if (expired) this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
  }
}

/** The first form of a page: its action and its named inputs' values. */
function parseForm(html: string): { action: string; fields: [string, string][] } | null {
  const form = /<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html)
  if (!form) return null
  const fields: [string, string][] = []
  for (const [input] of form[2]!.matchAll(/<input\b[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/i.exec(input)?.[1]
    if (!name) continue
    fields.push([name, decodeEntities(/\bvalue="([^"]*)"/i.exec(input)?.[1] ?? '')])
  }
  return { action: decodeEntities(form[1]!), fields }
}

function decodeEntities(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
}
