/**
 * Counts mounts so that only the first starts and only the last stops.
 * Stopping waits a microtask: React StrictMode unmounts and remounts at once,
 * and listeners should survive that instead of being torn down and re-added.
 */
export const createMountCounter = (start: () => void, stop: () => void): () => () => void => {
  let mounts = 0
  let running = false
  return () => {
    mounts++
    if (!running) {
      running = true
      start()
    }
    let unmounted = false
    return () => {
      if (unmounted) return
      unmounted = true
      mounts--
      queueMicrotask(() => {
        if (mounts === 0 && running) {
          running = false
          stop()
        }
      })
    }
  }
}
