import { describe, expect, it } from 'vitest';
import { sameUserName, userNameEqFilter } from './filter.ts';
import { encodeQuery } from './transport.ts';

describe('scim-client > userName filter', () => {
  it('writes the value as a JSON string literal, escaping quotes and backslashes', () => {
    expect(userNameEqFilter('a"b\\c')).toBe('userName eq "a\\"b\\\\c"');
  });

  it('encodes the whole query so + travels as %2B and spaces as %20', () => {
    const query = encodeQuery({ filter: userNameEqFilter('ann+tag@example.com') });
    expect(query).toBe('?filter=userName%20eq%20%22ann%2Btag%40example.com%22');
    expect(decodeURIComponent(query.slice('?filter='.length))).toBe('userName eq "ann+tag@example.com"');
  });

  it('compares userNames case-insensitively, ignoring surrounding space', () => {
    expect(sameUserName(' Ann@Example.com', 'ann@example.com ')).toBe(true);
    expect(sameUserName('ann', 'anne')).toBe(false);
  });
});
