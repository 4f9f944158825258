// The Controls panel's rows for the components whose props react-docgen cannot
// read (a `forwardRef` wrapped in `Object.assign(..., parts)` hides them).
// Descriptions follow the props' doc comments in src/react.
import type { ArgTypes } from '@storybook/react-vite'

/** A prop no control can give: the story world provides it. Listed, never editable. */
const clientArgType = {
  control: false,
  description: "Use this client instead of the nearest `SessionProvider`'s. Default: the provider's. (The story world provides one.)",
  table: { type: { summary: 'SessionClient' } },
} as const

const classNameArgType = {
  control: 'text',
  description: 'Class of your own on the root element, e.g. to theme it with the `--sk-*` custom properties.',
  table: { type: { summary: 'string' } },
} as const

const messagesArgType = (summary: string) =>
  ({
    control: 'object',
    description: 'Any texts to replace, and `locale`. Default: English. (Function-valued texts are not editable here.)',
    table: { type: { summary: `Partial<${summary}>` } },
  }) as const

export const inactivityWarningArgTypes = {
  open: {
    control: 'boolean',
    description: 'Controlled open state. Default: undefined (uncontrolled: opens with the warning phase and the signed-out notice).',
    table: { type: { summary: 'boolean' } },
  },
  defaultOpen: {
    control: 'boolean',
    description: 'Uncontrolled starting state. Default: whether the session is in its warning phase (or just expired). Read when the warning mounts (in these stories a change remounts it).',
    table: { type: { summary: 'boolean' } },
  },
  onOpenChange: {
    description: 'Called whenever the warning asks to open or close. Default: none.',
    table: { type: { summary: '(open: boolean) => void' } },
  },
  onSignInAgain: {
    description: '"Sign in again" in the signed-out notice; the notice closes either way. Default: just close.',
    table: { type: { summary: '() => void' } },
  },
  messages: messagesArgType('InactivityWarningMessages'),
  lang: {
    control: 'text',
    description: "The dialog's language (`lang`), so screen readers pronounce translated `messages` right. Default: the page's.",
    table: { type: { summary: 'string' } },
  },
  className: classNameArgType,
  client: clientArgType,
} satisfies ArgTypes

export const activeDevicesArgTypes = {
  messages: messagesArgType('ActiveDevicesMessages'),
  className: classNameArgType,
  client: clientArgType,
} satisfies ArgTypes

export const impersonationBannerArgTypes = {
  messages: messagesArgType('ImpersonationBannerMessages'),
  className: classNameArgType,
  focusAfterStop: {
    control: false,
    description: "Where keyboard focus goes when the banner leaves while it holds focus. Default: the page's main landmark.",
    table: { type: { summary: '(document: Document) => HTMLElement | null' } },
  },
} satisfies ArgTypes

export const reverificationDialogArgTypes = {
  client: clientArgType,
} satisfies ArgTypes
