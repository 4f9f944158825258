// What the preview (the story's world) and the manager (the "Session" panel)
// say to each other. Types and names only: both sides import this file.

export const WORLD_STATE_EVENT = 'sessionkit/world/state'
export const WORLD_COMMAND_EVENT = 'sessionkit/world/command'
export const WORLD_REQUEST_EVENT = 'sessionkit/world/request'
export const WORLD_PANEL_ID = 'sessionkit/world/panel'

/** What the panel shows; `null` = the story has no world. */
export interface WorldSnapshot {
  status: string
  connectivity: string
  clock: string
  speed: 0 | 1 | 10 | 60
  failure: 'offline' | 'server-error' | null
  canJump: boolean
  signedIn: boolean
}

/** What the panel asks the world to do. */
export type WorldCommand =
  | { type: 'jump-to-warning' }
  | { type: 'advance'; ms: number }
  | { type: 'speed'; speed: 0 | 1 | 10 | 60 }
  | { type: 'offline'; on: boolean }
  | { type: 'server-error'; on: boolean }
  | { type: 'sign-out-elsewhere' }
