'use client'
import { forwardRef } from 'react'
import {
  ActiveDevicesItem,
  ActiveDevicesList,
  ActiveDevicesSignOutButton,
  ActiveDevicesSignOutOthersButton,
  ActiveDevicesStatus,
  ActiveDevicesTitle,
} from './ActiveDevicesParts'
import { ActiveDevicesActingNote } from './ActiveDevicesActingNote'
import { ActiveDevicesRoot, type ActiveDevicesRootProps } from './ActiveDevicesRoot'

/** Props of the ready-made `ActiveDevices`: all optional. */
export type ActiveDevicesProps = Omit<ActiveDevicesRootProps, 'children'>

const ActiveDevicesDefault = forwardRef<HTMLElement, ActiveDevicesProps>(function ActiveDevices(props, ref) {
  return (
    <ActiveDevicesRoot {...props} ref={ref}>
      <ActiveDevicesTitle />
      <ActiveDevicesActingNote />
      <ActiveDevicesStatus />
      <ActiveDevicesList />
      <div className="sk-actions">
        <ActiveDevicesSignOutOthersButton />
      </div>
    </ActiveDevicesRoot>
  )
})

/**
 * The signed-in user's devices, ready to use with no props: a list of every
 * device with its label, IP address and when it was last active, "This
 * device" on this one, "Sign out" on each other one, and "Sign out of all
 * other devices". What is happening (and what failed) is said in a polite
 * live region. While someone acts as the user (support, impersonating) the
 * list is read-only, with a note saying so: the server refuses sign-outs then.
 * Renders nothing while signed out or when the adapter cannot
 * list devices (`client.capabilities.devices`). Build your own from its
 * parts: `ActiveDevices.Root`, `.Title`, `.ActingNote`, `.Status`, `.List`, `.Item`,
 * `.SignOutButton`, `.SignOutOthersButton`.
 */
export const ActiveDevices = Object.assign(ActiveDevicesDefault, {
  Root: ActiveDevicesRoot,
  Title: ActiveDevicesTitle,
  ActingNote: ActiveDevicesActingNote,
  Status: ActiveDevicesStatus,
  List: ActiveDevicesList,
  Item: ActiveDevicesItem,
  SignOutButton: ActiveDevicesSignOutButton,
  SignOutOthersButton: ActiveDevicesSignOutOthersButton,
})
