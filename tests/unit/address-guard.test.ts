import { describe, expect, it } from 'vitest';
import {
  allowedAddresses,
  classifyAddress,
  describeAddress,
  isHopAllowed,
  isPublicAddress,
  type AddressClass,
} from '../../app/capture/address-guard.js';

describe('classifyAddress', () => {
  const cases: [string, AddressClass][] = [
    // IPv4
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'], // just outside 172.16/12
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'], // cloud metadata endpoint
    ['100.64.0.1', 'carrier-grade-nat'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['192.0.2.10', 'reserved'], // TEST-NET-1
    ['198.18.0.1', 'reserved'], // benchmarking
    ['240.0.0.1', 'reserved'],
    // IPv6
    ['2606:4700:4700::1111', 'public'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'], // documentation
    // IPv6 forms carrying an IPv4 address are classified by that address
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::7f00:1', 'loopback'], // NAT64 of 127.0.0.1
    ['64:ff9b::808:808', 'public'], // NAT64 of 8.8.8.8
    ['64:ff9b:1::1', 'private'], // local-use NAT64 prefix
    ['2002:c0a8:101::1', 'private'], // 6to4 of 192.168.1.1
    ['2002:808:808::1', 'public'], // 6to4 of 8.8.8.8
    ['::7f00:1', 'reserved'], // deprecated IPv4-compatible ::127.0.0.1
    // Not addresses at all
    ['example.com', 'invalid'],
    ['', 'invalid'],
    ['999.1.1.1', 'invalid'],
  ];
  it.each(cases)('%s is %s', (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });

  it('isPublicAddress agrees with the classification', () => {
    expect(isPublicAddress('1.1.1.1')).toBe(true);
    expect(isPublicAddress('::ffff:192.168.0.1')).toBe(false);
    expect(isPublicAddress('not-an-ip')).toBe(false);
  });
});

describe('isHopAllowed', () => {
  const privateTargets = ['127.0.0.1', '::1', '10.0.0.5', '192.168.1.1', '169.254.169.254', 'fd00::1', '0.0.0.0', '::ffff:127.0.0.1'];

  it('allows any address for the URL the user typed (not coming from a public address)', () => {
    for (const toAddress of [...privateTargets, '8.8.8.8']) {
      expect(isHopAllowed({ fromPublic: false, toAddress, allowPrivate: false })).toBe(true);
    }
  });

  it('refuses a hop from a public address to any non-public one', () => {
    for (const toAddress of privateTargets) {
      expect(isHopAllowed({ fromPublic: true, toAddress, allowPrivate: false }), toAddress).toBe(false);
    }
  });

  it('allows a hop from a public address to another public one', () => {
    expect(isHopAllowed({ fromPublic: true, toAddress: '8.8.8.8', allowPrivate: false })).toBe(true);
    expect(isHopAllowed({ fromPublic: true, toAddress: '2606:4700::1', allowPrivate: false })).toBe(true);
  });

  it('allows everything when allowPrivateAddresses is on', () => {
    for (const toAddress of privateTargets) {
      expect(isHopAllowed({ fromPublic: true, toAddress, allowPrivate: true })).toBe(true);
    }
  });

  it('refuses an unparseable address coming from a public one', () => {
    expect(isHopAllowed({ fromPublic: true, toAddress: 'garbage', allowPrivate: false })).toBe(false);
  });
});

describe('allowedAddresses', () => {
  it('keeps only the usable addresses of a host that resolves to public and private ones', () => {
    const addrs = ['127.0.0.1', '93.184.216.34', '::1', '2606:2800:220:1::1'];
    expect(allowedAddresses(addrs, { fromPublic: true, allowPrivate: false })).toEqual([
      '93.184.216.34',
      '2606:2800:220:1::1',
    ]);
    expect(allowedAddresses(addrs, { fromPublic: false, allowPrivate: false })).toEqual(addrs);
  });
  it('returns nothing when every address is private (a DNS-rebinding answer)', () => {
    expect(allowedAddresses(['127.0.0.1', '::1'], { fromPublic: true, allowPrivate: false })).toEqual([]);
  });
});

describe('describeAddress', () => {
  it('labels non-public addresses with their class', () => {
    expect(describeAddress('127.0.0.1')).toBe('127.0.0.1 (loopback)');
    expect(describeAddress('8.8.8.8')).toBe('8.8.8.8');
  });
});
