import dns from 'node:dns/promises';
import net from 'node:net';
import { isPublicAddress } from './address-guard.js';

/**
 * Whether the page that led to a fetch (an image's page, given as `initiator`) lives at a
 * public address. A local page (file:, localhost, LAN) may reference local images; a public
 * one may not. When in doubt (the name does not resolve), the page counts as public: the
 * strict answer is the safe one.
 */
export async function isInitiatorPublic(initiator: string | undefined): Promise<boolean> {
  if (initiator === undefined) return false;
  let url: URL;
  try {
    url = new URL(initiator);
  } catch {
    return true;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false; // file: pages are local
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(host)) return isPublicAddress(host);
  try {
    const found = await dns.lookup(host, { all: true });
    return found.some((a) => isPublicAddress(a.address));
  } catch {
    return true;
  }
}
