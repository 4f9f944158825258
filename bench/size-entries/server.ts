// What `sessionkit/server` adds to an edge bundle (middleware, a route handler)
// for the size table (bench/size.mjs): the token check an API route needs.
// jose is bundled in: an edge bundle ships it, nothing provides it.
export { verifySessionToken, authenticate } from '../../src/server'
