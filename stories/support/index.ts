// Story worlds: a memory backend, a session client and a virtual clock per
// story, with a control bar (and a "Session" panel in the Storybook UI).
// preview.ts registers the loader and the decorator for every story: a story
// only sets `parameters.world`. See "Introduction/Story worlds" in Storybook.
export {
  createStoryWorld,
  formatElapsed,
  HOUR,
  MINUTE,
  SECOND,
  SPEEDS,
  STORY_POLICY,
  type SimulatedFailure,
  type Speed,
  type StoryWorld,
  type StoryWorldOptions,
} from './storyWorld'
export { withStoryDevices, type StoryDevice, type StoryDevices, type StoryDevicesOptions } from './storyDevices'
export { inWorld, storyWorldLoader, withStoryWorld, worldOf, type StoryWorldParameters } from './decorator'
export { StoryWorldBar } from './StoryWorldBar'
export { useStoryWorld } from './useStoryWorld'
