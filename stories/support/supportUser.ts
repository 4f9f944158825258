import type { MemoryUser } from '../../src/adapters/memory'

/** Support staff who may act as other users (like `support@example.com` on the reference server). */
export const SUPPORT_USER: MemoryUser = {
  id: 'user_support',
  firstName: 'Sam',
  lastName: 'Support',
  identifier: 'support@example.com',
  password: 'password',
  totpCode: null,
  canImpersonate: true,
}
