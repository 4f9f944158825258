import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, waitFor } from 'storybook/test'
import { decodeJwt } from '../../src/core/jwt'
import { useAuth } from '../../src/react'
import '../demo/demo.css'
import { inWorld, type StoryWorldParameters } from '../support'
import { framedInDocs } from '../support/framedInDocs'

/** Everything `useAuth()` returns, a token on demand, and sign-out. */
function AuthCard() {
  const auth = useAuth()
  const [token, setToken] = useState<string | null>(null)
  if (!auth.isLoaded) return <p>Loading…</p>

  const showToken = async () => {
    const jwt = await auth.getToken()
    if (!jwt) return setToken('null (nobody is signed in)')
    const { sub, sid, org_id, exp, iat } = decodeJwt(jwt)
    setToken(`sub ${sub}, sid ${sid}, org_id ${String(org_id ?? null)}, lives ${exp - iat} s`)
  }
  return (
    <section className="demo-card" aria-label="useAuth()">
      {auth.actor ? (
        <p className="demo-banner" role="note">
          {auth.actor.sub} is acting as this user.
        </p>
      ) : null}
      <dl>
        <dt>isSignedIn</dt>
        <dd>{String(auth.isSignedIn)}</dd>
        <dt>userId</dt>
        <dd>{String(auth.userId)}</dd>
        <dt>sessionId</dt>
        <dd>{String(auth.sessionId)}</dd>
        <dt>orgId</dt>
        <dd>{String(auth.orgId)}</dd>
        <dt>orgRole</dt>
        <dd>{String(auth.orgRole)}</dd>
        <dt>
          <code>has({'{'} role: 'org:admin' {'}'})</code>
        </dt>
        <dd>{String(auth.has({ role: 'org:admin' }))}</dd>
      </dl>
      <div className="demo-row">
        <button type="button" className="demo-button" onClick={() => void showToken()}>
          Get a token
        </button>
        <button type="button" className="demo-button" data-tone="quiet" disabled={!auth.isSignedIn} onClick={() => void auth.signOut()}>
          Sign out
        </button>
      </div>
      {token ? <output aria-label="Token claims">{token}</output> : null}
    </section>
  )
}

const meta = {
  title: 'Hooks/useAuth',
  render: () => <AuthCard />,
  parameters: { ...framedInDocs, world: {} } satisfies StoryWorldParameters & typeof framedInDocs,
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

/** Ada, admin of Acme: ids, organization, `has`, a token for the session, then sign-out. */
export const SignedIn: Story = {
  play: inWorld(async (world, { canvas, userEvent }) => {
    await expect(canvas.getByText('user_ada')).toBeInTheDocument()
    await expect(canvas.getByText('org_acme')).toBeInTheDocument()
    await expect(canvas.getByText('org:admin')).toBeInTheDocument()

    await userEvent.click(canvas.getByRole('button', { name: 'Get a token' }))
    const claims = await canvas.findByRole('status', { name: 'Token claims' })
    await expect(claims).toHaveTextContent(`sub user_ada, sid ${world.client.getState().session!.id}, org_id org_acme, lives 60 s`)
    // Minting a token is not activity: it never renews the session.
    await expect(world.adapter.calls.touchSession).toBe(0)

    await userEvent.click(canvas.getByRole('button', { name: 'Sign out' }))
    await waitFor(() => expect(canvas.getAllByText('false')).toHaveLength(2))
    await expect(canvas.getAllByText('null')).toHaveLength(4)
  }),
}

/** Nobody signed in: every id is null, `has` is false and `getToken()` resolves to null. */
export const SignedOut: Story = {
  parameters: { world: { signedInAs: [] } } satisfies StoryWorldParameters,
  play: inWorld(async (_world, { canvas, userEvent }) => {
    await expect(canvas.getAllByText('false')).toHaveLength(2)
    await userEvent.click(canvas.getByRole('button', { name: 'Get a token' }))
    await expect(await canvas.findByRole('status', { name: 'Token claims' })).toHaveTextContent('null (nobody is signed in)')
  }),
}

/** Someone from support acts as Ada: `actor` is set, and the UI must say so. */
export const Impersonated: Story = {
  parameters: {
    world: {
      setup: async (world) => {
        world.adapter.setActor(world.client.getState().session!.id, { sub: 'user_support_17' })
        await world.client.load()
      },
    },
  } satisfies StoryWorldParameters,
  play: inWorld(async (_world, { canvas, userEvent }) => {
    await expect(canvas.getByRole('note')).toHaveTextContent('user_support_17 is acting as this user.')
    await userEvent.click(canvas.getByRole('button', { name: 'Get a token' }))
    await expect(await canvas.findByRole('status', { name: 'Token claims' })).toHaveTextContent('sub user_ada')
  }),
}
