// A tiny static server on 127.0.0.1 (free port) for the browser pages.
// It sends COOP/COEP headers: a cross-origin-isolated page gets a 5 µs
// performance.now() instead of the default 100 µs, which the per-frame
// timings need.
import http from 'node:http'

/** `files`: Map of URL path → { type, body }. Resolves to { origin, close() }. */
export function serve(files) {
  const server = http.createServer((req, res) => {
    const file = files.get(new URL(req.url, 'http://x').pathname)
    if (!file) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, {
      'Content-Type': file.type,
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    })
    res.end(file.body)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(() => done())),
      })
    })
  })
}
