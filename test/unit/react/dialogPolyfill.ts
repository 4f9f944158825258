// jsdom has <dialog> but not showModal/close: the smallest stand-in that
// behaves like a browser for what the warning relies on (open attribute,
// Escape → cancellable `cancel` → close, asynchronous `close` event).
// Tests only: the library itself never polyfills.

const modals: HTMLDialogElement[] = []

if (typeof HTMLDialogElement !== 'undefined' && typeof HTMLDialogElement.prototype.showModal !== 'function') {
  const proto = HTMLDialogElement.prototype

  proto.show = function show(this: HTMLDialogElement) {
    this.setAttribute('open', '')
  }

  proto.showModal = function showModal(this: HTMLDialogElement) {
    if (this.open) throw new DOMException('The dialog is already open.', 'InvalidStateError')
    if (!this.isConnected) throw new DOMException('The dialog is not connected.', 'InvalidStateError')
    this.setAttribute('open', '')
    this.dataset.polyfillModal = ''
    modals.push(this)
  }

  proto.close = function close(this: HTMLDialogElement, returnValue?: string) {
    if (!this.open) return
    this.removeAttribute('open')
    delete this.dataset.polyfillModal
    modals.splice(modals.indexOf(this), 1)
    if (returnValue !== undefined) this.returnValue = returnValue
    queueMicrotask(() => this.dispatchEvent(new Event('close')))
  }

  document.addEventListener('keydown', (event) => {
    const top = modals.at(-1)
    if (event.key !== 'Escape' || !top) return
    if (top.dispatchEvent(new Event('cancel', { cancelable: true }))) top.close()
  })
}

/** Whether a dialog is open as a modal (what `:modal` matches in a browser). */
export function isModal(dialog: Element): boolean {
  return dialog instanceof HTMLDialogElement && dialog.open && modals.includes(dialog)
}
