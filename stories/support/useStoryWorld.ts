import { createContext, useContext } from 'react'
import type { StoryWorld } from './storyWorld'

/** The story's world, provided by `withStoryWorld` around every story that has one. */
export const StoryWorldContext = createContext<StoryWorld | null>(null)

/**
 * The world of the story being rendered, for components that need more than
 * the session client (its adapter, its clock). Read it here rather than
 * passing the StoryContext as a prop: Storybook's docs source snippet prints
 * every prop of the rendered element, and a StoryContext is too deep to print.
 */
export function useStoryWorld(): StoryWorld {
  const world = useContext(StoryWorldContext)
  if (!world) throw new Error('useStoryWorld: this story has no world. Give it parameters.world (e.g. { world: {} }).')
  return world
}
