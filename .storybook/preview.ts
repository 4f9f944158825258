import type { Preview } from '@storybook/react-vite'
import '../src/react/styles.css'
import { storyWorldLoader, withStoryWorld } from '../stories/support'

const preview: Preview = {
  // Every story with `parameters.world` gets its own memory backend, session
  // client and virtual clock, and the control bar above it.
  loaders: [storyWorldLoader],
  decorators: [withStoryWorld],
  parameters: {
    layout: 'padded',
    // Any axe violation fails the story's test.
    a11y: { test: 'error' },
    controls: { expanded: true },
    options: {
      storySort: {
        order: ['Introduction', ['Getting started', 'Choosing lifetimes', 'Story worlds'], 'Components', 'Hooks', '*'],
      },
    },
  },
}

export default preview
