import { createElement } from 'react'
import { AddonPanel } from 'storybook/internal/components'
import { addons, types } from 'storybook/manager-api'
import { WORLD_PANEL_ID } from '../stories/support/channelEvents'
import { SessionPanel } from '../stories/support/SessionPanel'

// The "Session" panel: the story world's controls, usable while a modal warning is open.
addons.register('sessionkit/world', () => {
  addons.add(WORLD_PANEL_ID, {
    type: types.PANEL,
    title: 'Session',
    render: ({ active }) => createElement(AddonPanel, { active: Boolean(active), children: createElement(SessionPanel) }),
  })
})
