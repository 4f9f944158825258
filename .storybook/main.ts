import type { StorybookConfig } from '@storybook/react-vite'

const config: StorybookConfig = {
  // Docs pages first, so the sidebar opens on "Getting started".
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true },
  // react-docgen-typescript needs TypeScript's JS compiler API, which TypeScript 7 no longer has.
  typescript: { reactDocgen: 'react-docgen' },
}

export default config
