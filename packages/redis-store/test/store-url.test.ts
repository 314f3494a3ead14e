import { describe, expect, it } from 'vitest';
import { describeStoreUrl, parseStoreUrl, RedisStoreError } from '../src/index.js';

describe('parseStoreUrl', () => {
  it('reads file: URLs and bare paths as files, relative to the given directory', () => {
    expect(parseStoreUrl('file:./train_data.json', '/srv/sim')).toEqual({ kind: 'file', path: '/srv/sim/train_data.json' });
    expect(parseStoreUrl('file:///var/rail/train%20data.json')).toEqual({ kind: 'file', path: '/var/rail/train data.json' });
    expect(parseStoreUrl('train_data.json', '/srv/sim')).toEqual({ kind: 'file', path: '/srv/sim/train_data.json' });
    expect(parseStoreUrl('/abs/x.json')).toEqual({ kind: 'file', path: '/abs/x.json' });
  });

  it('reads redis://host:port/key with db 0 and redis://host:port/db/key', () => {
    expect(parseStoreUrl('redis://10.0.0.5:6380/train_data')).toMatchObject({
      kind: 'redis',
      host: '10.0.0.5',
      port: 6380,
      db: 0,
      key: 'train_data',
      tls: false,
      connectionUrl: 'redis://10.0.0.5:6380/0',
    });
    expect(parseStoreUrl('redis://localhost/3/green%2Fline')).toMatchObject({ port: 6379, db: 3, key: 'green/line' });
    expect(parseStoreUrl('redis://h:1/42')).toMatchObject({ db: 0, key: '42' });
    expect(parseStoreUrl('rediss://h:1/k')).toMatchObject({ tls: true });
  });

  it('hides the password in the display form but keeps it for the connection', () => {
    const location = parseStoreUrl('redis://rail:s3cret@h:1/k');
    expect(location).toMatchObject({ display: 'redis://rail:***@h:1/k', connectionUrl: 'redis://rail:s3cret@h:1/0' });
    expect(describeStoreUrl('redis://rail:s3cret@h:1/2/k')).toBe("Redis key 'k' (db 2) on h:1");
  });

  it.each([
    ['redis://h:1', 'names no key'],
    ['redis://h:1/', 'names no key'],
    ['redis://h:1/a/b', '/<db>/<key>'],
    ['redis://h:1/k?x=1', 'query strings'],
    ['http://h/k', "'http:' is not supported"],
    ['', 'empty'],
  ])('rejects %j with BAD_URL saying why', (url, why) => {
    let caught: unknown;
    try {
      parseStoreUrl(url);
    } catch (error) {
      caught = error;
    }
    expect(RedisStoreError.isInstance(caught) && caught.code).toBe('BAD_URL');
    expect((caught as Error).message).toContain(why);
  });

  it('never puts a password into a BAD_URL message', () => {
    expect(() => parseStoreUrl('redis://u:topsecret@h:1')).toThrow(/u:\*\*\*@/);
    expect(() => parseStoreUrl('redis://u:topsecret@h:1')).not.toThrow(/topsecret/);
  });
});
