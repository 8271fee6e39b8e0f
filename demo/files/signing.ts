/**
 * Signed, expiring URLs: file URLs on the storage origin (OpenStack Swift temp URLs, as DS's
 * `DS_PROXY_URL` storage serves them, valid one hour) and the signed global ids of the API's dossier
 * PDF (`to_sgid(expires_in: 1.hour, for: 'api_v2')`). Expiry is judged by the demo clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const URL_LIFETIME_MS = 3_600_000;
export const STORAGE_PREFIX = '/ds-storage/';

export class Signer {
  constructor(
    private readonly secret: string,
    private readonly now: () => Date,
  ) {}

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('hex');
  }

  private matches(expected: string, actual: string): boolean {
    const a = Buffer.from(expected);
    const b = Buffer.from(actual);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** `<origin>/ds-storage/<key>?temp_url_sig=…&temp_url_expires=…&filename=…[&inline]`. */
  fileUrl(origin: string, key: string, filename: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
    const expires = Math.floor((this.now().getTime() + URL_LIFETIME_MS) / 1000);
    const path = `${STORAGE_PREFIX}${key}`;
    const signature = this.mac(`GET\n${expires}\n${path}`);
    const inline = disposition === 'inline' ? '&inline' : '';
    return `${origin}${path}?temp_url_sig=${signature}&temp_url_expires=${expires}&filename=${encodeURIComponent(filename)}${inline}`;
  }

  /** Whether a storage URL is authentic and not yet expired. */
  verifyFileUrl(url: URL): boolean {
    const expires = Number(url.searchParams.get('temp_url_expires'));
    const signature = url.searchParams.get('temp_url_sig') ?? '';
    if (!Number.isFinite(expires) || !this.matches(this.mac(`GET\n${expires}\n${url.pathname}`), signature))
      return false;
    return this.now().getTime() < expires * 1000;
  }

  /** A signed global id for `purpose`, Rails-style: base64 payload, `--`, digest. */
  sgid(id: string, purpose: string): string {
    const payload = Buffer.from(
      JSON.stringify({ gid: id, pur: purpose, exp: new Date(this.now().getTime() + URL_LIFETIME_MS).toISOString() }),
    ).toString('base64url');
    return `${payload}--${this.mac(payload)}`;
  }

  /** The id inside a valid, unexpired sgid for `purpose`, else null. */
  locateSgid(sgid: string, purpose: string): string | null {
    const [payload = '', digest = ''] = sgid.split('--');
    if (!this.matches(this.mac(payload), digest)) return null;
    try {
      const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        gid: string;
        pur: string;
        exp: string;
      };
      return data.pur === purpose && this.now() < new Date(data.exp) ? data.gid : null;
    } catch {
      return null;
    }
  }
}
