// getClientSnapshot when the answer's headers arrive but its body does not:
// a real node:http server on 127.0.0.1 (free port) that writes a 200 and the
// start of the JSON, then hangs or drops the connection. Either is an outage
// to render the loading state for, as a failed fetch is, never a raw error.
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getClientSnapshot } from 'sessionkit/server'

let upstream: http.Server
let base: string
const sockets = new Set<Socket>()

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    // The headers and the first bytes of the body go out now; the rest never comes.
    res.write('{"data":', () => {
      // Once those bytes are out, the reset case drops the connection mid-body.
      if (req.url === '/reset/v1/client') res.socket?.destroy()
    })
  })
  upstream.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
})
afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise((resolve) => upstream.close(resolve))
})

const incoming = new Request('http://app.example/dashboard', { headers: { cookie: 'sessionkit_client=abc' } })

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  )
}

describe('getClientSnapshot, when the body of a 200 stalls or breaks', () => {
  it('rejects timeout (a SessionKitError saying what to do) when the body stops coming, on the snapshot\'s own timeout', async () => {
    const error = await rejectionOf(getClientSnapshot(incoming, { baseUrl: `${base}/hang`, timeoutMs: 150 }))
    expect(error).toMatchObject({ name: 'SessionKitError', code: 'timeout', message: expect.stringMatching(/150 ms.*loading state/) })
  })

  it('rejects network_error when the connection is reset mid-body', async () => {
    const error = await rejectionOf(getClientSnapshot(incoming, { baseUrl: `${base}/reset`, timeoutMs: 5_000 }))
    expect(error).toMatchObject({ name: 'SessionKitError', code: 'network_error', message: expect.stringMatching(/could not be reached.*loading state/) })
  })
})
