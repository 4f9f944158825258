/**
 * Docs-page parameters for stories whose component is a named landmark (a
 * region, a banner, a labelled card). Shown inline, several stories on one docs
 * page repeat that landmark under one name (axe: landmark-unique); in frames,
 * each story is its own document, as the component is in an app.
 */
export const framedInDocs = { docs: { story: { inline: false, iframeHeight: 480 } } }
