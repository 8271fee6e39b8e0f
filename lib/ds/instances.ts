/**
 * DS instances Archiviste knows out of the box. They get fixed host permissions and the content
 * script; any other instance (a fork, a self-hosted DS) is added from the options page and asked
 * for as an optional host permission at that moment.
 */
export const KNOWN_INSTANCES = [
  { origin: 'https://demarche.numerique.gouv.fr', name: 'Démarche numérique' },
  { origin: 'https://www.demarches-simplifiees.fr', name: 'Démarches simplifiées (ancienne adresse)' },
] as const;

/** Match patterns (manifest syntax) of the known instances. */
export const KNOWN_MATCHES = KNOWN_INSTANCES.map((i) => `${i.origin}/*`);

/** The local DS instance of `demo/` listens on loopback; only `--mode demo` builds may reach it. */
export const DEMO_MATCHES = ['http://127.0.0.1/*', 'http://localhost/*'];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Plain HTTP to loopback is the local demo instance: only demo builds reach it (and the tests, which
 * drive it). Production builds compile this to false. `import.meta.env` is absent where the build
 * config itself imports this file.
 */
const LOOPBACK_HTTP_ALLOWED = import.meta.env?.MODE === 'demo' || import.meta.env?.MODE === 'test';

/** DS is reached over HTTPS only; plain HTTP is for the local demo instance on loopback. */
export function isSecureOrigin(url: URL, loopbackHttpAllowed = LOOPBACK_HTTP_ALLOWED): boolean {
  return url.protocol === 'https:' || (loopbackHttpAllowed && url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

/**
 * Match pattern for one origin, e.g. `https://www.mes-demarches.gov.pf/*`. It names no port: Firefox
 * never finds a pattern with one among the granted host permissions (`http://127.0.0.1:4000/*` is not
 * « contained » in a granted `http://127.0.0.1/*`), and a pattern without a port covers every port in
 * both browsers.
 */
export function matchPatternFor(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}
