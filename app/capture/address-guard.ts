import ipaddr from 'ipaddr.js';

/**
 * The network-safety rule (#7 §6): a page from the public internet must not be able to make
 * Folio reach into the user's machine or LAN (router admin pages, local dev servers, cloud
 * metadata endpoints) through a redirect or an image reference.
 *
 *  - A URL the user typed is always fetched, even when it is local: they asked for it.
 *  - A hop that comes from a PUBLIC address (a redirect answered by a public server, or an
 *    image whose page is public) may only go to public addresses.
 *  - A hop that comes from a non-public address may go anywhere: the user already trusted it.
 *  - `allowPrivateAddresses` turns the rule off.
 *
 * Being on the "same host" grants nothing by itself: with DNS rebinding, a public host name
 * can answer with 127.0.0.1 on its second lookup, so the rule looks only at the addresses
 * actually connected. The check runs inside the socket's lookup (see http-client.ts), so the
 * address checked is the address connected to.
 *
 * Everything in this file is pure (no I/O) so the decisions can be unit-tested exhaustively.
 */

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private' // RFC 1918
  | 'link-local'
  | 'unique-local' // IPv6 fc00::/7
  | 'site-local' // deprecated IPv6 fec0::/10, still routed inside some networks
  | 'unspecified' // 0.0.0.0 and :: reach the local machine on Linux
  | 'carrier-grade-nat'
  | 'multicast'
  | 'broadcast'
  | 'reserved' // documentation, benchmarking, future-use and other non-routable ranges
  | 'invalid';

const IPV4_CLASSES: Record<string, AddressClass> = {
  unicast: 'public',
  as112: 'public',
  amt: 'public',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade-nat',
  private: 'private',
  reserved: 'reserved',
};

const IPV6_CLASSES: Record<string, AddressClass> = {
  unicast: 'public',
  teredo: 'public',
  amt: 'public',
  as112v6: 'public',
  orchid2: 'reserved',
  droneRemoteIdProtocolEntityTags: 'reserved',
  unspecified: 'unspecified',
  linkLocal: 'link-local',
  multicast: 'multicast',
  loopback: 'loopback',
  uniqueLocal: 'unique-local',
  deprecatedSiteLocal: 'site-local',
  discard: 'reserved',
  benchmarking: 'reserved',
  deprecatedOrchid: 'reserved',
  segmentRouting: 'reserved',
  reserved: 'reserved',
};

/** Classifies one IP address (v4 or v6, with or without brackets or a %zone). */
export function classifyAddress(ip: string): AddressClass {
  const text = ip.replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(text)) return 'invalid';
  const addr = ipaddr.parse(text);
  if (addr.kind() === 'ipv4') return IPV4_CLASSES[(addr as ipaddr.IPv4).range()] ?? 'reserved';
  return classifyIPv6(addr as ipaddr.IPv6);
}

function classifyIPv6(addr: ipaddr.IPv6): AddressClass {
  const range = addr.range() as string;
  const parts = addr.parts;
  // Forms that carry an IPv4 address inside: the IPv4 address decides where packets end up.
  if (range === 'ipv4Mapped' || range === 'rfc6145') return classifyEmbedded(parts[6]!, parts[7]!);
  if (range === 'rfc6052') {
    // 64:ff9b::/96 is the well-known NAT64 prefix; 64:ff9b:1::/48 is for local use only.
    return parts[2] === 0 && parts[3] === 0 && parts[4] === 0 && parts[5] === 0
      ? classifyEmbedded(parts[6]!, parts[7]!)
      : 'private';
  }
  if (range === '6to4') return classifyEmbedded(parts[1]!, parts[2]!);
  // ::a.b.c.d, the deprecated "IPv4-compatible" form (ipaddr.js calls it unicast).
  if (range === 'unicast' && parts.slice(0, 6).every((p) => p === 0)) return 'reserved';
  return IPV6_CLASSES[range] ?? 'reserved';
}

function classifyEmbedded(high: number, low: number): AddressClass {
  return classifyAddress(`${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`);
}

export function isPublicAddress(ip: string): boolean {
  return classifyAddress(ip) === 'public';
}

export interface HopQuestion {
  /**
   * Whether the hop is made on behalf of a public address: the server that answered the
   * redirect, or the page that references an image. False for the URL the user typed.
   */
  fromPublic: boolean;
  /** The IP address the hop would connect to. */
  toAddress: string;
  allowPrivate: boolean;
}

/** The one decision: may Folio connect to `toAddress` for this hop? */
export function isHopAllowed({ fromPublic, toAddress, allowPrivate }: HopQuestion): boolean {
  if (allowPrivate || !fromPublic) return true;
  return isPublicAddress(toAddress);
}

/**
 * Of the addresses a host name resolved to, those this hop may use. Filtering (rather than
 * refusing the host if any address is private) keeps dual-homed hosts working while still
 * never connecting to a forbidden address.
 */
export function allowedAddresses(
  addresses: readonly string[],
  context: Omit<HopQuestion, 'toAddress'>,
): string[] {
  return addresses.filter((toAddress) => isHopAllowed({ ...context, toAddress }));
}

/** A short human label for messages, e.g. "127.0.0.1 (loopback)". */
export function describeAddress(ip: string): string {
  const kind = classifyAddress(ip);
  return kind === 'public' ? ip : `${ip} (${kind})`;
}
