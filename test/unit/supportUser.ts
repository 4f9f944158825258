import { DEMO_USERS, type MemoryUser } from '../../src/adapters/memory'

/** A support agent who may act as other users (the reference server's `support@example.com`). */
export const SUPPORT: MemoryUser = {
  id: 'user_support',
  firstName: 'Sam',
  lastName: 'Support',
  identifier: 'support@example.com',
  password: 'password',
  totpCode: null,
  canImpersonate: true,
}

/** The memory adapter's demo users plus the support agent. */
export const USERS_WITH_SUPPORT: readonly MemoryUser[] = [...DEMO_USERS, SUPPORT]
