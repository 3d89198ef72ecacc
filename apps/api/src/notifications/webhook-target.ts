import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

const SLACK_HOST = 'hooks.slack.com';
const REFUSED = 'must be a Slack incoming-webhook URL (https://hooks.slack.com/…)';

/**
 * What an address is, for outbound webhooks: `public` (routable on the internet), `local`
 * (loopback, RFC 1918 private, IPv6 unique-local: allowed only with SLACK_ALLOW_LOCAL=true) or
 * `never` (link-local — cloud metadata at 169.254.169.254 —, unspecified, multicast, broadcast,
 * carrier-grade NAT, reserved and documentation ranges). IPv4-mapped IPv6 counts as its IPv4.
 */
export function addressKind(address: string): 'public' | 'local' | 'never' {
  const range = ipaddr.process(address).range();
  if (range === 'unicast') return 'public';
  if (range === 'loopback' || range === 'private' || range === 'uniqueLocal') return 'local';
  return 'never';
}

export interface WebhookTarget {
  url: URL;
  /** The vetted address the request must connect to (no second DNS answer is used). */
  address: string;
  family: 4 | 6;
}

type Lookup = (hostname: string) => Promise<{ address: string; family: number }[]>;
const systemLookup: Lookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Checks a webhook URL by where it actually leads. Slack's own host over https must resolve to
 * public addresses only. With `allowLocal` (SLACK_ALLOW_LOCAL=true), an http(s) URL whose host
 * resolves to local addresses only is accepted too (a receiver in development or tests). Anything
 * else is refused — whatever form the host takes: `http://2130706433/`, `0x7f000001` and `127.1`
 * are 127.0.0.1 to the URL parser, and so are refused like it.
 *
 * `resolve: false` skips the DNS lookup of Slack's host (when a URL is saved: the lookup is
 * repeated at every delivery anyway, so an offline server can still store a Slack URL).
 */
export async function checkWebhook(
  raw: string,
  allowLocal: boolean,
  opts: { resolve?: boolean; lookup?: Lookup } = {},
): Promise<WebhookTarget | { problem: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'must be a URL' };
  }
  if (url.username || url.password) return { problem: 'must not contain credentials' };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: REFUSED };
  const slack = url.protocol === 'https:' && url.hostname === SLACK_HOST && url.port === '';
  if (!slack && !allowLocal) return { problem: REFUSED };

  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  if (ipaddr.isValid(host)) addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  else if (slack && opts.resolve === false) return { url, address: '', family: 4 };
  else {
    try {
      addresses = await (opts.lookup ?? systemLookup)(host);
    } catch {
      return { problem: 'cannot be resolved to an address' };
    }
  }
  if (addresses.length === 0) return { problem: 'cannot be resolved to an address' };
  const kinds = addresses.map((a) => addressKind(a.address));
  const wanted = slack ? 'public' : 'local';
  if (kinds.some((k) => k !== wanted)) {
    return {
      problem: slack
        ? 'resolves to an address that is not public'
        : 'must resolve to a loopback or private address only (SLACK_ALLOW_LOCAL), or be a Slack incoming-webhook URL',
    };
  }
  return { url, address: addresses[0]!.address, family: addresses[0]!.family === 6 ? 6 : 4 };
}

/** A webhook that the policy refuses at delivery: not worth retrying every minute. */
export class WebhookRefused extends Error {}

/**
 * POSTs JSON to a vetted webhook, connecting to the address that was checked (DNS is not asked a
 * second time, so a rebinding answer cannot redirect it). No redirects are followed; 5 s timeout.
 */
export async function postWebhook(
  raw: string,
  body: unknown,
  allowLocal: boolean,
  lookup?: Lookup,
): Promise<void> {
  const target = await checkWebhook(raw, allowLocal, { lookup });
  if ('problem' in target) throw new WebhookRefused(`webhook refused: it ${target.problem}`);
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else callback(null, target.address, target.family);
  };
  const payload = JSON.stringify(body);
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  await new Promise<void>((resolve, reject) => {
    const req = send(
      target.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        lookup: pinned,
        timeout: 5_000,
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300
            ? resolve()
            : reject(new Error(`webhook answered ${res.statusCode}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('webhook timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}
