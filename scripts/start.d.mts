/** Builds the reference server (dist-server/server.mjs) and the demo app (examples/app/dist). */
export function buildDemo(): Promise<void>
