// bench-prepared.js — derived from shared/peers/ltijs/bench.js (the peer's load generator, same claim set, same
// minting, same timing and output). Changes, and only these:
//  1. --prepared <file.json> [{state, nonce}, ...] and --cookie '<name=value>': for a tool that checks the state it
//     issued at login initiation, its browser binding and that the id_token's nonce is the one it sent (Qatysu does;
//     ltijs checks a signed 'state<state>' cookie and nonce replay only). Token i then carries prepared[i].nonce and is
//     posted with prepared[i].state — the states come from real login initiations done before the timed run.
//  2. the concurrency cap is 400 instead of 64 (the 400-concurrent target); N and time stay bounded.
// Without --prepared it behaves exactly like bench.js.
// Bounded launch-validation load generator (127.0.0.1 only). Same input for ltijs and a Java tool:
// pre-minted RS256 id_tokens (platform key of the edx-sim, same claim set as Open edX's consumer emits),
// unique nonce per token, POSTed as application/x-www-form-urlencoded id_token+state to the tool's
// redirect_uri. For ltijs a signed 'state<state>' cookie (cookie-parser secret = LTI_KEY) is attached.
//
// Usage: node bench.js --url http://127.0.0.1:3077/lti/launch --n 400 --c 8 \
//          --key platform_private.pem --kid edx-sim-kid-1 --iss http://127.0.0.1:18077 \
//          --aud edx-sim-client-id [--ltijs-secret bench-encryption-key] [--expect 302]
const fs = require('fs')
const crypto = require('crypto')
const jwt = require('jsonwebtoken')
const sig = require('cookie-signature')

const a = {}
for (let i = 2; i < process.argv.length; i += 2) a[process.argv[i].replace(/^--/, '')] = process.argv[i + 1]
const URL_ = a.url || 'http://127.0.0.1:3077/lti/launch'
const N = Math.min(parseInt(a.n || '400', 10), 20000, a.prepared ? JSON.parse(fs.readFileSync(a.prepared, 'utf8')).length : 20000) // bounded count
const C = Math.min(parseInt(a.c || '8', 10), 400)
const MAX_SECONDS = Math.min(parseInt(a.maxs || '120', 10), 600) // bounded time
const ISS = a.iss || 'http://127.0.0.1:18077'
const AUD = a.aud || 'edx-sim-client-id'
const KEY = fs.readFileSync(a.key || 'platform_private.pem', 'utf8')
const KID = a.kid || 'edx-sim-kid-1'
const SECRET = a['ltijs-secret'] // omit for non-ltijs tools
const EXPECT = parseInt(a.expect || '302', 10)
const PREPARED = a.prepared ? JSON.parse(fs.readFileSync(a.prepared, 'utf8')) : null
const COOKIE = a.cookie
const P = 'https://purl.imsglobal.org/spec/lti/claim/'

function mint (i) {
  const now = Math.floor(Date.now() / 1000)
  const payload = {
    [P + 'message_type']: 'LtiResourceLinkRequest', [P + 'version']: '1.3.0',
    iss: ISS, aud: AUD, azp: AUD, [P + 'deployment_id']: '1',
    [P + 'target_link_uri']: URL_, sub: String(1000 + (i % 500)),
    [P + 'roles']: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    [P + 'resource_link']: { id: 'block-v1:edX+DemoX+Demo_Course+type@lti_consumer+block@' + (i % 50) },
    [P + 'context']: { id: 'course-v1:edX+DemoX+Demo_Course', type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'] },
    [P + 'launch_presentation']: { document_target: 'iframe' },
    [P + 'tool_platform']: { guid: '4c6d257d-2683-513f-ac76-b46c8480477b', name: 'Open edX Simulator' },
    nonce: PREPARED ? PREPARED[i].nonce : crypto.randomBytes(16).toString('hex'), iat: now, exp: now + 3600
  }
  const state = PREPARED ? PREPARED[i].state : crypto.randomBytes(20).toString('hex')
  const body = new URLSearchParams({ id_token: jwt.sign(payload, KEY, { algorithm: 'RS256', keyid: KID }), state }).toString()
  const headers = { 'content-type': 'application/x-www-form-urlencoded' }
  if (COOKIE) headers.cookie = COOKIE
  if (SECRET) headers.cookie = 'state' + state + '=' + encodeURIComponent('s:' + sig.sign(ISS, SECRET))
  return { body, headers }
}

async function main () {
  const t0 = Date.now()
  const reqs = Array.from({ length: N }, (_, i) => mint(i))
  console.log(`minted ${N} tokens in ${Date.now() - t0} ms`)
  let next = 0; let ok = 0; let bad = 0; const lat = []; const codes = {}
  const deadline = Date.now() + MAX_SECONDS * 1000
  const start = Date.now()
  async function worker () {
    while (next < N && Date.now() < deadline) {
      const r = reqs[next++]
      const s = process.hrtime.bigint()
      try {
        const res = await fetch(URL_, { method: 'POST', body: r.body, headers: r.headers, redirect: 'manual' })
        await res.arrayBuffer()
        codes[res.status] = (codes[res.status] || 0) + 1
        if (res.status === EXPECT) ok++; else bad++
      } catch (e) { bad++; codes.err = (codes.err || 0) + 1 }
      lat.push(Number(process.hrtime.bigint() - s) / 1e6)
    }
  }
  await Promise.all(Array.from({ length: C }, worker))
  const secs = (Date.now() - start) / 1000
  lat.sort((x, y) => x - y)
  const q = p => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(1)
  console.log(JSON.stringify({ url: URL_, n: lat.length, c: C, ok, bad, codes, seconds: secs, rps: +(lat.length / secs).toFixed(1), p50_ms: q(0.5), p95_ms: q(0.95), p99_ms: q(0.99) }))
}
main()
