// The preview side of the "Session" panel: the mounted world reports its
// state over Storybook's channel and obeys the panel's commands. The panel
// lives in the manager, outside the preview, so it still works while a modal
// warning makes the whole story (control bar included) inert.
import { addons } from 'storybook/preview-api'
import { WORLD_COMMAND_EVENT, WORLD_REQUEST_EVENT, WORLD_STATE_EVENT, type WorldCommand, type WorldSnapshot } from './channelEvents'
import { snapshotOf } from './snapshot'
import type { StoryWorld } from './storyWorld'

type Channel = ReturnType<typeof addons.getChannel>

function channelOrNull(): Channel | null {
  try {
    return addons.hasChannel() ? addons.getChannel() : null
  } catch {
    return null
  }
}

export function runCommand(world: StoryWorld, command: WorldCommand): void {
  switch (command.type) {
    case 'jump-to-warning':
      return void world.jumpToWarning()
    case 'advance':
      return void world.advance(command.ms)
    case 'speed':
      return world.setSpeed(command.speed)
    case 'offline':
      return command.on ? world.goOffline() : world.goOnline()
    case 'server-error':
      return world.setServerError(command.on)
    case 'sign-out-elsewhere':
      return void world.signOutElsewhere()
  }
}

/**
 * Makes `world` the one the panel shows and drives, until the returned
 * function is called. In docs mode several worlds mount; the panel is not
 * shown there, so the last one mounted wins.
 */
export function announceWorld(world: StoryWorld): () => void {
  const channel = channelOrNull()
  if (!channel) return () => {}
  let scheduled = false
  let stopped = false
  const report = () => {
    if (scheduled || stopped) return
    scheduled = true
    // At most one report per frame, however many timers a fast clock fires.
    requestAnimationFrame(() => {
      scheduled = false
      if (!stopped) channel.emit(WORLD_STATE_EVENT, snapshotOf(world))
    })
  }
  const onCommand = (command: WorldCommand) => runCommand(world, command)
  channel.on(WORLD_COMMAND_EVENT, onCommand)
  channel.on(WORLD_REQUEST_EVENT, report)
  const stopWorld = world.subscribe(report)
  const stopClient = world.client.subscribe(report)
  report()
  return () => {
    stopped = true
    channel.off(WORLD_COMMAND_EVENT, onCommand)
    channel.off(WORLD_REQUEST_EVENT, report)
    stopWorld()
    stopClient()
    channel.emit(WORLD_STATE_EVENT, null)
  }
}
