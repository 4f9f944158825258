'use client'
import { forwardRef, useEffect, useRef, useState, type HTMLAttributes } from 'react'
import { toSessionKitError, type SessionKitError } from '../core/errors'
import type { ActorResource, SessionClientState, User } from '../core/types'
import { useClientFor } from './context'
import { focusFallback, mainLandmark } from './focusFallback'
import {
  resolveImpersonationBannerMessages,
  type ImpersonationBannerMessages,
  type ImpersonationNames,
} from './ImpersonationBannerMessages'
import { useComposedRefs } from './Slot'
import { useActor } from './useActor'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'
import { useClientSelector } from './useSessionSelector'

/** Props of `ImpersonationBanner`: any `<section>` attribute but `children`, plus its texts. */
export interface ImpersonationBannerProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  /** Any subset of the banner's texts. Default: the English `defaultImpersonationBannerMessages`. */
  messages?: Partial<ImpersonationBannerMessages>
  /**
   * Where keyboard focus goes when the banner leaves while it holds focus (after "Stop acting" went
   * through, the focused button leaves with it): return the element, or null to leave focus to the
   * browser (on `<body>`). Not called when the app moved focus meanwhile. Default: the page's main landmark (`<main>` or `role="main"`).
   */
  focusAfterStop?: (document: Document) => HTMLElement | null
}

const selectUser = (state: SessionClientState) => state.user
const selectSessionId = (state: SessionClientState) => state.session?.id ?? null

/**
 * Says that someone is acting as the signed-in user: "You are acting as Ada
 * Lovelace (signed in as support@example.com)", with "Stop acting as Ada"
 * (when the adapter can stop). A landmark region (`<section aria-label>`),
 * rendered for as long as the active session has an `actor` and nothing
 * otherwise; it has no way to close it. Its text sits in a polite live
 * region that is inserted empty and filled right after, so screen readers
 * say it once when the banner appears. When it leaves while holding focus
 * (after "Stop acting"), focus goes to `focusAfterStop`'s element, by default
 * the page's `<main>` (given `tabindex="-1"` until it loses focus again, so it
 * never joins the tab order), as a skip link would: the next Tab goes on from there.
 */
export const ImpersonationBanner = forwardRef<HTMLElement, ImpersonationBannerProps>(function ImpersonationBanner(
  { messages: overrides, focusAfterStop = mainLandmark, ...props },
  ref,
) {
  const client = useClientFor('ImpersonationBanner')
  const { actor, stop, canStop } = useActor({ client })
  const user = useClientSelector(client, selectUser)
  const sessionId = useClientSelector(client, selectSessionId)
  if (!actor || !user) return null
  const messages = resolveImpersonationBannerMessages(overrides)
  // A new acting session (acting as someone else now) is a new banner, announced again.
  return <ActingAs key={sessionId ?? ''} {...props} ref={ref} names={namesOf(user, actor)} messages={messages} stop={canStop ? stop : null} focusAfterStop={focusAfterStop} />
})

interface ActingAsProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  names: ImpersonationNames
  messages: ImpersonationBannerMessages
  stop: (() => Promise<void>) | null
  focusAfterStop: (document: Document) => HTMLElement | null
}

const ActingAs = forwardRef<HTMLElement, ActingAsProps>(function ActingAs({ names, messages, stop, focusAfterStop, className, ...props }, ref) {
  const section = useRef<HTMLElement | null>(null)
  const composedRef = useComposedRefs(ref, section)
  const focusTarget = useRef(focusAfterStop)
  useIsomorphicLayoutEffect(() => {
    focusTarget.current = focusAfterStop
  }, [focusAfterStop])
  // A layout cleanup runs while the section is still in the document, so it can still tell whether it holds focus.
  useIsomorphicLayoutEffect(
    () => () => {
      const document = section.current?.ownerDocument
      if (!document || !section.current?.contains(document.activeElement)) return
      // After the commit: the element to focus may arrive in the same commit in which the banner leaves.
      queueMicrotask(() => focusFallback(document, focusTarget.current))
    },
    [],
  )
  // Filled after the first commit: a live region inserted with its text already in it is often not read.
  const [announced, setAnnounced] = useState(false)
  useEffect(() => setAnnounced(true), [])
  const [stopping, setStopping] = useState(false)
  const [failure, setFailure] = useState<SessionKitError | null>(null)

  const onStop = () => {
    if (!stop || stopping) return
    setStopping(true)
    setFailure(null)
    // On success this banner unmounts with the actor; only a failure comes back here.
    stop().catch((error: unknown) => {
      setStopping(false)
      setFailure(toSessionKitError(error))
    })
  }

  return (
    <section aria-label={messages.label} data-sk-impersonation="" className={className ? `sk-banner ${className}` : 'sk-banner'} {...props} ref={composedRef}>
      <p role="status" aria-live="polite" aria-atomic="true" className="sk-banner-text">
        {announced ? messages.text(names) : null}
      </p>
      {stop ? (
        <button
          type="button"
          className="sk-button"
          data-variant="primary"
          data-sk-action="stop-impersonating"
          // aria-disabled, not disabled: the button keeps focus while the switch is on its way.
          aria-disabled={stopping || undefined}
          onClick={onStop}
        >
          {stopping ? messages.stopping : messages.stop(names)}
        </button>
      ) : null}
      {failure ? (
        <p role="alert" className="sk-banner-error">
          {messages.stopFailed(names, failure)}
        </p>
      ) : null}
    </section>
  )
})

function namesOf(user: User, actor: ActorResource): ImpersonationNames {
  const full = [user.firstName, user.lastName].filter(Boolean).join(' ')
  const userName = full || user.identifier
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null)
  return {
    user: userName,
    userFirstName: user.firstName || userName,
    actor: text(actor.identifier) ?? text(actor.name) ?? actor.sub,
  }
}
