import { afterEach, describe, expect, it } from 'vitest';
import type { ProblemCode } from '@/lib/core/db';
import { locale } from '@/lib/platform/i18n';
import { describeProblem, instanceStatuses } from '@/lib/view/status';
import { instance, NOW } from './ui-fixtures';

const at = NOW.toISOString();
const CODES: ProblemCode[] = [
  'token-expired',
  'network-forbidden',
  'token-invalid',
  'demarche-unauthorized',
  'logged-out',
  'unreachable',
  'too-slow',
  'rate-limited',
  'server-error',
  'permission-missing',
  'page-unrecognized',
];

afterEach(() => {
  locale.value = 'fr';
});

describe('describeProblem', () => {
  it('says what happened and how to fix it, in plain French', () => {
    expect(describeProblem({ code: 'token-expired', at })).toEqual({
      code: 'token-expired',
      message: 'Votre jeton d’API a expiré.',
      fix: 'Créez-en un nouveau dans votre profil DS (/profil), puis collez-le dans les options.',
      action: 'options',
    });
    expect(describeProblem({ code: 'logged-out', at })).toMatchObject({
      message: 'Vous n’êtes pas connecté à DS.',
      fix: 'Ouvrez DS et connectez-vous : Archiviste lira vos listes.',
      action: 'sign-in',
    });
  });

  it('puts the detail DS gave into the text', () => {
    expect(describeProblem({ code: 'network-forbidden', at, detail: '192.0.2.0/24' })).toMatchObject({
      message: 'DS refuse les appels depuis cette adresse réseau.',
      fix: 'Ajoutez la plage 192.0.2.0/24 aux réseaux autorisés de votre jeton (profil DS).',
    });
    expect(describeProblem({ code: 'demarche-unauthorized', at, detail: '104532, 98211' }).message).toBe(
      'Votre jeton ne peut pas lire certaines démarches suivies (n° 104532, 98211).',
    );
  });

  it('has its own message and fix for every problem, in both languages', () => {
    for (const language of ['fr', 'en'] as const) {
      locale.value = language;
      const texts = CODES.map((code) => describeProblem({ code, at, detail: 'x' }));
      for (const text of texts) {
        expect(text.message).not.toMatch(/^problem_/);
        expect(text.fix).not.toMatch(/^problem_/);
      }
      expect(new Set(texts.map((text) => text.message)).size).toBe(CODES.length);
      expect(new Set(texts.map((text) => text.fix)).size).toBe(CODES.length);
    }
  });

  it('points to the fix: the options for tokens and permissions, DS for the session, a retry otherwise', () => {
    expect(CODES.map((code) => [code, describeProblem({ code, at }).action])).toEqual([
      ['token-expired', 'options'],
      ['network-forbidden', 'options'],
      ['token-invalid', 'options'],
      ['demarche-unauthorized', 'options'],
      ['logged-out', 'sign-in'],
      ['unreachable', 'retry'],
      ['too-slow', 'retry'],
      ['rate-limited', 'retry'],
      ['server-error', 'retry'],
      ['permission-missing', 'options'],
      ['page-unrecognized', 'options'],
    ]);
  });

  it('says a DS page it no longer knows stops the token-less watch, and that a token keeps it', () => {
    expect(describeProblem({ code: 'page-unrecognized', at, detail: 'dossier table not found' })).toEqual({
      code: 'page-unrecognized',
      message: 'Page DS non reconnue.',
      fix: 'DS a peut-être changé ses pages : Archiviste n’en lit plus les dossiers sans jeton. Mettez à jour l’extension ; avec un jeton d’API, la surveillance continue.',
      action: 'options',
    });
  });

  it('speaks English when the UI does', () => {
    locale.value = 'en';
    expect(describeProblem({ code: 'token-expired', at }).message).toBe('Your API token has expired.');
  });
});

describe('instanceStatuses', () => {
  it('gives mode, last sync and problem, troubled instances first', () => {
    const statuses = instanceStatuses([
      instance({ mode: 'api', tokenHint: '••••••••1a2b', lastSyncAt: at }),
      instance({
        origin: 'https://www.mes-demarches.gov.pf',
        name: 'Mes démarches',
        problem: { code: 'unreachable', at },
      }),
    ]);
    expect(statuses.map((s) => [s.name, s.mode, s.lastSyncAt?.toISOString() ?? null, s.problem?.code])).toEqual([
      ['Mes démarches', 'session', null, 'unreachable'],
      ['Démarche numérique', 'api', at, undefined],
    ]);
  });
});
