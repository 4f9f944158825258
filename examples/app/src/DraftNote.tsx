import { useEffect, useId, useState } from 'react'
import type { BeforeSignOut } from '../../../src/core/types'
import { useUser } from '../../../src/react'

// A draft that survives the end of the session. It is saved to this
// browser's localStorage (a note, never a token), per user, when the user
// presses Save, and by `beforeSignOut` (main.tsx) when a deadline or a
// sign-out elsewhere ends the session: the client awaits it (2 s at most).

interface SavedDraft {
  text: string
  savedAt: number
  /** Why it was saved: 'button', or the sign-out reason beforeSignOut was given. */
  how: string
}

const storageKey = (userId: string) => `sessionkit-demo:draft:${userId}`

function readDraft(userId: string): SavedDraft | null {
  try {
    const raw = localStorage.getItem(storageKey(userId))
    return raw ? (JSON.parse(raw) as SavedDraft) : null
  } catch {
    return null
  }
}

function writeDraft(userId: string, draft: SavedDraft): void {
  localStorage.setItem(storageKey(userId), JSON.stringify(draft))
}

/** What this tab's open note holds and has not saved: beforeSignOut saves it. */
let unsaved: { userId: string; text: string } | null = null

/**
 * The demo's `beforeSignOut`: saves the open note. Every tab runs its own, so
 * a note typed in any tab is saved before that tab signs out.
 */
export const saveDraftBeforeSignOut: BeforeSignOut = ({ reason }) => {
  if (unsaved) writeDraft(unsaved.userId, { text: unsaved.text, savedAt: Date.now(), how: reason })
}

const HOW: Record<string, string> = {
  button: 'with Save',
  inactivity: 'as the session ended after inactivity',
  idle: 'as the session ended while you were away',
  'max-lifetime': 'as the session reached its maximum length',
  revoked: 'as the session was ended elsewhere',
  replaced: 'as a sign-in on another device replaced the session',
}

/** A note per user, restored after signing in again. */
export function DraftNote() {
  const { user } = useUser()
  const userId = user?.id ?? null
  // Keyed by user in App.tsx, so another account starts with its own note.
  const [saved, setSaved] = useState(() => (userId ? readDraft(userId) : null))
  const [text, setText] = useState(saved?.text ?? '')
  const headingId = useId()
  const statusId = useId()

  useEffect(() => {
    if (!userId) return
    unsaved = { userId, text }
    return () => {
      if (unsaved?.userId === userId) unsaved = null
    }
  }, [userId, text])

  if (!userId) return null
  const save = () => {
    const draft = { text, savedAt: Date.now(), how: 'button' }
    writeDraft(userId, draft)
    setSaved(draft)
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Draft note</h2>
      <p className="muted">
        Not saved as you type: when the session ends at a deadline, <code>beforeSignOut</code> saves it before the sign-out,
        and it is here again after you sign in.
      </p>
      <label>
        Note
        <textarea
          rows={4}
          value={text}
          onChange={(event) => setText(event.target.value)}
          aria-describedby={statusId}
          style={{ font: 'inherit', fontWeight: 400, padding: '0.5rem 0.625rem', borderRadius: 8, border: '1px solid var(--border)' }}
        />
      </label>
      <p id={statusId} className="muted" data-testid="draft-status">
        {saved ? `Saved ${HOW[saved.how] ?? saved.how} at ${new Date(saved.savedAt).toLocaleTimeString()}.` : 'Not saved yet.'}
      </p>
      <div className="actions">
        <button type="button" className="secondary" onClick={save}>
          Save
        </button>
      </div>
    </section>
  )
}
