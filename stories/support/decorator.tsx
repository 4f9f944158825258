import type { Decorator, Loader, StoryContext } from '@storybook/react-vite'
import { useCallback, useEffect, useRef, type ReactNode } from 'react'
import { SessionProvider } from '../../src/react'
import { announceWorld } from './channel'
import { StoryWorldBar } from './StoryWorldBar'
import { StoryWorldContext } from './useStoryWorld'
import { createStoryWorld, type StoryWorld, type StoryWorldOptions } from './storyWorld'

/**
 * `parameters.world`: the options of the story's world, or `false` for none.
 * Meta and story parameters merge, so a meta can set the policy and each
 * story its `setup`. `parameters.worldControls: false` hides the control bar.
 */
export interface StoryWorldParameters {
  world?: StoryWorldOptions | false
  worldControls?: boolean
}

/** Creates the story's world before it renders, from `parameters.world` (registered in preview.ts). */
export const storyWorldLoader: Loader = async (context) => {
  const options = (context.parameters as StoryWorldParameters).world
  if (!options) return {}
  return { world: await createStoryWorld(options) }
}

/** The world the loader made for this story; throws when the story has none. */
export function worldOf(context: Pick<StoryContext, 'loaded' | 'name'>): StoryWorld {
  const world = (context.loaded as { world?: StoryWorld }).world
  if (!world) throw new Error(`Story "${context.name}" has no world: give it parameters.world (e.g. { world: {} }).`)
  return world
}

/** Whether this preview is a story frame inside a docs page (stories rendered with `docs.story.inline: false`). */
function embeddedInDocs(): boolean {
  try {
    return window.parent !== window && new URLSearchParams(window.parent.location.search).get('viewMode') === 'docs'
  } catch {
    return false
  }
}

/**
 * A play function on the story's world. Real-time driving pauses while it
 * runs, so only the play function moves time, and resumes afterwards (in the
 * Storybook UI; under Vitest the world is always paused). In a docs page's
 * story frame it does not run, as Storybook does not autoplay inline docs
 * stories: the page shows each story's starting state, in real time.
 */
export function inWorld(play: (world: StoryWorld, context: StoryContext) => Promise<void>) {
  return async (context: StoryContext) => {
    if (embeddedInDocs()) return
    const world = worldOf(context)
    const speed = world.speed
    world.setSpeed(0)
    try {
      await play(world, context)
    } finally {
      if (world.speed === 0) world.setSpeed(speed)
    }
  }
}

/**
 * The control bar above the story, and the story inside a `SessionProvider`
 * for the world's client. Starts the real-time driver while mounted and
 * destroys the world when the story goes away.
 */
function StoryWorldFrame({ world, controls, storyName, children }: { world: StoryWorld; controls: boolean; storyName: string; children: ReactNode }) {
  const mounted = useRef(0)
  useEffect(() => {
    mounted.current++
    const stop = world.start()
    const forget = announceWorld(world)
    return () => {
      mounted.current--
      stop()
      forget()
      // StrictMode runs cleanup and setup again at once: destroy only on a real unmount.
      queueMicrotask(() => {
        if (mounted.current === 0) world.destroy()
      })
    }
  }, [world])
  const attach = useCallback((element: HTMLDivElement | null) => world.attach(element), [world])

  return (
    <>
      {controls ? <StoryWorldBar world={world} storyName={storyName} /> : null}
      <div ref={attach} className="sw-stage">
        <StoryWorldContext.Provider value={world}>
          <SessionProvider client={world.client}>{children}</SessionProvider>
        </StoryWorldContext.Provider>
      </div>
    </>
  )
}

/** Wraps every story that has a world (registered in preview.ts); others render as they are. */
export const withStoryWorld: Decorator = (Story, context) => {
  const world = (context.loaded as { world?: StoryWorld }).world
  if (!world) return <Story />
  const controls = (context.parameters as StoryWorldParameters).worldControls !== false
  return (
    <StoryWorldFrame world={world} controls={controls} storyName={context.name}>
      <Story />
    </StoryWorldFrame>
  )
}
