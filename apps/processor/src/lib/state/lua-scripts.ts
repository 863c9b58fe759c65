/*
 * The Lua scripts of the processor. Each runs atomically in Redis and touches keys of one hash tag only.
 * Lua turns a nil inside a returned table into the end of the list, so missing fields are returned as ''.
 */

/**
 * Claims an event and reads its user's state in one round trip.
 * KEYS: event marker, user state. ARGV: owner, lease ms, observedAt (sortable), forced ('1' inside a forced replay).
 * Returns {'duplicate'} | {'stale', appliedObservedAt} | {'busy', leaseLeftMs}
 *       | {'claimed', observedAt, scimId, userName, attributesHash, appliedJson}.
 * The owner may claim its own lease again (a retry after an error), which renews it. A forced replay runs a
 * done event again (Terranova may have lost what it did); the stale guard still holds, so only each user's
 * latest state is re-applied.
 */
export const CLAIM_EVENT = `
local marker = redis.call('GET', KEYS[1])
if marker == 'done' then
  if ARGV[4] ~= '1' then return {'duplicate'} end
  marker = false
end
if marker and marker ~= ARGV[1] then return {'busy', tostring(redis.call('PTTL', KEYS[1]))} end
local s = redis.call('HMGET', KEYS[2], 'observedAt', 'scimId', 'userName', 'hash', 'applied')
if s[1] and s[1] > ARGV[3] then return {'stale', s[1]} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {'claimed', s[1] or '', s[2] or '', s[3] or '', s[4] or '', s[5] or ''}
`;

/**
 * Marks an event done and, unless told not to, records the user's new state, never moving `observedAt` back.
 * KEYS: event marker, user state. ARGV: done ttl ms, write state ('1'|'0'), observedAt, scimId ('' = none),
 * userName, attributes hash, applied JSON, state ttl ms.
 */
export const FINISH_EVENT = `
redis.call('SET', KEYS[1], 'done', 'PX', ARGV[1])
if ARGV[2] ~= '1' then return 1 end
local current = redis.call('HGET', KEYS[2], 'observedAt')
if current and current > ARGV[3] then return 0 end
if ARGV[4] == '' then redis.call('HDEL', KEYS[2], 'scimId') else redis.call('HSET', KEYS[2], 'scimId', ARGV[4]) end
if ARGV[7] == '' then redis.call('HDEL', KEYS[2], 'hash', 'applied') else redis.call('HSET', KEYS[2], 'hash', ARGV[6], 'applied', ARGV[7]) end
redis.call('HSET', KEYS[2], 'observedAt', ARGV[3], 'userName', ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[8])
return 1
`;

/** Gives a lease back (the tenant was parked) or renews it, only when the caller still owns it. KEYS: marker. ARGV: owner, lease ms ('0' = release). */
export const LEASE_EVENT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then return redis.call('DEL', KEYS[1]) end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`;

/*
 * Token bucket fields: tokens (fractional), at (ms of the last refill), factor (rate multiplier after a 429)
 * until slowUntil, and blockedUntil (a Retry-After every replica honours). Time is Redis's own clock, so
 * replicas with skewed clocks share one view.
 */
const BUCKET_NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'factor', 'slowUntil', 'blockedUntil')
local factor = 1
if b[4] and tonumber(b[4]) > now then factor = tonumber(b[3]) or 1 end
`;

/**
 * Takes up to `want` tokens. KEYS: bucket. ARGV: rate per second, burst, want, ttl ms.
 * Returns {granted, waitMs}: waitMs > 0 when nothing was granted, the time until a token is due.
 */
export const TAKE_TOKENS = `${BUCKET_NOW}
local rate = tonumber(ARGV[1]) * factor
local burst = tonumber(ARGV[2])
local tokens = tonumber(b[1]) or burst
local last = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) * rate / 1000)
local blocked = tonumber(b[5]) or 0
local granted = 0
if blocked <= now then granted = math.min(tonumber(ARGV[3]), math.floor(tokens)) end
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if granted > 0 then return {granted, 0} end
if blocked > now then return {0, blocked - now} end
return {0, math.max(1, math.ceil((1 - tokens) * 1000 / rate))}
`;

/**
 * Slows the bucket after a 429: the rate is multiplied by `multiplier` (down to `minFactor`) for `slowMs`,
 * the tokens are emptied, and a Retry-After blocks every replica until it passed. A burst of 429s answering
 * requests sent together counts once: the rate is cut at most once per `cooldownMs`.
 * KEYS: bucket. ARGV: multiplier, min factor, slow ms, retry-after ms (0 = none), ttl ms, cooldown ms.
 * Returns the factor now in force ×1000.
 */
export const SLOW_DOWN = `${BUCKET_NOW}
local newFactor = factor
local cutAt = tonumber(redis.call('HGET', KEYS[1], 'cutAt')) or 0
if now - cutAt >= tonumber(ARGV[6]) then
  newFactor = math.max(tonumber(ARGV[2]), factor * tonumber(ARGV[1]))
  cutAt = now
end
local blocked = tonumber(b[5]) or 0
local retryAfter = tonumber(ARGV[4])
if retryAfter > 0 and now + retryAfter > blocked then blocked = now + retryAfter end
redis.call('HSET', KEYS[1], 'tokens', '0', 'at', tostring(now), 'factor', tostring(newFactor),
  'slowUntil', tostring(now + tonumber(ARGV[3])), 'blockedUntil', tostring(blocked), 'cutAt', tostring(cutAt))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return math.floor(newFactor * 1000)
`;
