// Plain data, no Node imports: the demo page imports this list to show who
// to sign in as, and the server seeds its database from it on first start.

export interface DemoOrganization {
  id: string
  name: string
  slug: string
}

export interface DemoMembership {
  organizationId: string
  role: 'org:admin' | 'org:member'
}

export interface DemoUser {
  id: string
  firstName: string
  lastName: string
  email: string
  /** Every demo user's password: it is a demo. */
  password: string
  /** Fixed one-time code for users with a second factor; `null` = no second factor enrolled. */
  totpCode: string | null
  /** Support staff may sign in as another user (the session then carries `actor`). */
  canImpersonate: boolean
  memberships: DemoMembership[]
}

export const DEMO_PASSWORD = 'password'
export const DEMO_TOTP_CODE = '424242'

export const DEMO_ORGANIZATIONS: readonly DemoOrganization[] = [
  { id: 'org_acme', name: 'Acme Inc.', slug: 'acme' },
  { id: 'org_globex', name: 'Globex Corporation', slug: 'globex' },
]

/** What each role may do; tokens carry these as `org_permissions`. */
export const ROLE_PERMISSIONS: Readonly<Record<DemoMembership['role'], readonly string[]>> = {
  'org:admin': ['org:invoices:read', 'org:invoices:create', 'org:invoices:delete', 'org:members:manage'],
  'org:member': ['org:invoices:read', 'org:invoices:create'],
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: 'user_ada',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.com',
    password: DEMO_PASSWORD,
    totpCode: DEMO_TOTP_CODE,
    canImpersonate: false,
    memberships: [
      { organizationId: 'org_acme', role: 'org:admin' },
      { organizationId: 'org_globex', role: 'org:member' },
    ],
  },
  {
    id: 'user_alan',
    firstName: 'Alan',
    lastName: 'Turing',
    email: 'alan@example.com',
    password: DEMO_PASSWORD,
    totpCode: null,
    canImpersonate: false,
    memberships: [{ organizationId: 'org_acme', role: 'org:member' }],
  },
  {
    id: 'user_grace',
    firstName: 'Grace',
    lastName: 'Hopper',
    email: 'grace@example.com',
    password: DEMO_PASSWORD,
    totpCode: DEMO_TOTP_CODE,
    canImpersonate: true,
    memberships: [{ organizationId: 'org_globex', role: 'org:admin' }],
  },
  {
    // Support staff: acts as other users ("Act as…" in the demo); a member of no organization.
    id: 'user_support',
    firstName: 'Sam',
    lastName: 'Support',
    email: 'support@example.com',
    password: DEMO_PASSWORD,
    totpCode: null,
    canImpersonate: true,
    memberships: [],
  },
]
