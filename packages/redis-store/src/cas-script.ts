/**
 * The compare-and-set that commits one revision. It runs inside Redis, so the check, the write, the
 * acknowledgement record, the history entry and the PUBLISH happen atomically: a watcher can never
 * see a revision that is not stored, and a writer can never overwrite a revision it did not read.
 *
 * KEYS[1] the document hash {doc, rev, writer, label, at}
 * KEYS[2] this operation's ack key: "<attempt>:<revision>" once it committed. An update whose reply
 *         was lost to a disconnect retries with the same token and finds it here instead of
 *         applying its change a second time.
 * KEYS[3] the history list of "<revision>\n<json>", newest first (lets watchers fill gaps)
 * ARGV: expected revision (0 = the key must not exist), document JSON, writer token, attempt,
 *       channel, ack retention ms, writer label, history length, committed-at (ISO text)
 *
 * Replies: {1, newRevision} committed; {0, currentRevision, currentJson} conflict;
 *          {2, "<attempt>:<revision>"} this token already committed; {3, reason} the stored hash is unusable.
 */
export const CAS_SCRIPT = `
local landed = redis.call('GET', KEYS[2])
if landed then return {2, landed} end
local stored = redis.call('HGET', KEYS[1], 'rev')
local current = 0
if stored then
  current = tonumber(stored)
  if current == nil then return {3, 'the rev field is not a number'} end
elseif redis.call('EXISTS', KEYS[1]) == 1 then
  return {3, 'the hash has no rev field'}
end
if current ~= tonumber(ARGV[1]) then
  return {0, current, redis.call('HGET', KEYS[1], 'doc')}
end
local nextRev = current + 1
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'rev', nextRev, 'writer', ARGV[3], 'label', ARGV[7], 'at', ARGV[9])
redis.call('SET', KEYS[2], ARGV[4] .. ':' .. nextRev, 'PX', ARGV[6])
local message = nextRev .. '\\n' .. ARGV[2]
local keep = tonumber(ARGV[8])
if keep > 0 then
  redis.call('LPUSH', KEYS[3], message)
  redis.call('LTRIM', KEYS[3], 0, keep - 1)
end
redis.call('PUBLISH', ARGV[5], message)
return {1, nextRev}
`;

/** Splits a history entry or pub/sub message "<revision>\n<json>". */
export function splitRevisionMessage(message: string): { revision: number; json: string } | null {
  const newline = message.indexOf('\n');
  if (newline <= 0) return null;
  const revision = Number(message.slice(0, newline));
  if (!Number.isSafeInteger(revision) || revision < 1) return null;
  return { revision, json: message.slice(newline + 1) };
}
