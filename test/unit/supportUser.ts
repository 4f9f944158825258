import { DEMO_USERS, type MemoryUser } from '../../src/adapters/memory'
import { SUPPORT_USER } from '../../stories/support/supportUser'

/** A support agent who may act as other users (the reference server's `support@example.com`): the stories' one. */
export const SUPPORT: MemoryUser = SUPPORT_USER

/** The memory adapter's demo users plus the support agent. */
export const USERS_WITH_SUPPORT: readonly MemoryUser[] = [...DEMO_USERS, SUPPORT]
