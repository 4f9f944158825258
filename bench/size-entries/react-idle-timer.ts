// react-idle-timer as an app uses it for a session-timeout prompt: useIdleTimer
// with a timeout, a prompt before idle and cross-tab replication. The options
// are used, so whatever they need stays in the bundle.
import { useIdleTimer } from 'react-idle-timer'

export function useSessionTimeout(onPrompt: () => void, onIdle: () => void, onActive: () => void) {
  return useIdleTimer({ timeout: 15 * 60_000, promptBeforeIdle: 60_000, crossTab: true, onPrompt, onIdle, onActive })
}
