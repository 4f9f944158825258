/** The page's main landmark (`<main>` or `role="main"`): where a skip link would take a keyboard user. */
export const mainLandmark = (document: Document): HTMLElement | null => document.querySelector('main,[role="main"]')

/**
 * Where keyboard focus goes when the control holding it leaves (inside
 * `leaving`, or already removed): to `target`'s element, so the keyboard is
 * not left on `<body>`. Unless the app has moved focus elsewhere meanwhile:
 * then `target` is not called. An element that cannot take focus (a
 * `<main>`) gets `tabindex="-1"` (no Tab stop) for as long as it holds it;
 * none is left behind when it cannot take focus even so (hidden, inert).
 */
export function focusFallback(document: Document, target: (document: Document) => HTMLElement | null, leaving?: Element) {
  const active = document.activeElement
  if (active && active !== document.body && !leaving?.contains(active)) return
  const element = target(document)
  if (!element) return
  element.focus()
  if (document.activeElement === element || element.hasAttribute('tabindex')) return
  const removeTabIndex = () => element.removeAttribute('tabindex')
  element.tabIndex = -1
  element.focus()
  if (document.activeElement === element) element.addEventListener('blur', removeTabIndex, { once: true })
  else removeTabIndex()
}
