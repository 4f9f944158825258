'use client'
import { forwardRef, useEffect, useRef, useState, type HTMLAttributes, type ReactNode } from 'react'
import { useActiveDevicesContext } from './ActiveDevicesRoot'
import { cx } from './cx'
import { useComposedRefs } from './Slot'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'

/** Props of `ActiveDevices.ActingNote`: any `<p>` attribute; `children` replace the text. */
export type ActiveDevicesActingNoteProps = HTMLAttributes<HTMLParagraphElement>

/**
 * While someone acts as the user (support, in an impersonation session): `<p>` saying the list is
 * read-only (`messages.actingNote(user)`), as the server refuses sign-outs then. Nothing otherwise.
 */
export const ActiveDevicesActingNote = forwardRef<HTMLParagraphElement, ActiveDevicesActingNoteProps>(function ActiveDevicesActingNote(
  { children, ...props },
  ref,
) {
  const { actingAs, messages } = useActiveDevicesContext('ActiveDevices.ActingNote')
  // Its own component: it says itself (or not) afresh each time acting begins.
  return actingAs === null ? null : <ActingNote {...props} text={children ?? messages.actingNote(actingAs)} ref={ref} />
})

/**
 * Plain text, read in turn. Appearing under keyboard focus (acting began in another tab while a "Sign
 * out" held it), it says itself once, as a polite live region inserted empty and filled right after.
 */
const ActingNote = forwardRef<HTMLParagraphElement, Omit<ActiveDevicesActingNoteProps, 'children'> & { text: ReactNode }>(function ActingNote(
  { text, className, ...props },
  ref,
) {
  const own = useRef<HTMLParagraphElement | null>(null)
  const composedRef = useComposedRefs(ref, own)
  const [voice, setVoice] = useState<'plain' | 'announcing' | 'announced'>('plain')
  // The buttons that left have handed their focus to the section by now (see useFocusRootWhenGone).
  useIsomorphicLayoutEffect(() => {
    const section = own.current?.closest('[data-sk-devices]')
    if (section?.contains(section.ownerDocument.activeElement)) setVoice('announcing')
  }, [])
  useEffect(() => {
    if (voice === 'announcing') setVoice('announced')
  }, [voice])
  const live = voice === 'plain' ? {} : ({ role: 'status', 'aria-live': 'polite', 'aria-atomic': true } as const)
  return (
    <p data-sk-acting="" className={cx('sk-devices-note', className)} {...live} {...props} ref={composedRef}>
      {voice === 'announcing' ? null : text}
    </p>
  )
})
