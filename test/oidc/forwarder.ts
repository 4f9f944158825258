// A plain HTTP forwarder on 127.0.0.1: what a reverse proxy in front of a
// provider looks like when the provider was not told its public URL (the
// classic Keycloak-behind-a-proxy mistake): every answer comes from the
// provider, so its discovery document names the provider's own issuer.
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

export async function startForwarder(target: string): Promise<{ url: string; stop(): Promise<void> }> {
  const to = new URL(target)
  const server = createServer((req, res) => {
    const upstream = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A port on 127.0.0.1 where nothing listens (taken, then released). */
export async function unusedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
