/**
 * Dossier records: `buildDossier` turns a wish ("accepté, expires on the 24th") into a consistent
 * record whose dates obey DS's rules, and `generateDossiers` draws a deterministic population:
 * every state in every démarche, expiry dates from already purged to months ahead, with a cluster
 * in the last two weeks. The instance then replays DS's daily jobs over the past weeks, which sends
 * the notices, fills the corbeille and purges into `deleted_dossiers` exactly as DS would have.
 *
 * Under the 2025 rules en construction dossiers expire like terminé ones. Under the 2026 rules they
 * never expire: the same profiles give en construction dossiers whose old date (passage en
 * construction + retention) is long past, within two weeks or months ahead, still listed; some keep
 * a residual `expired_at` (the old date) that only the « Date d’expiration » column shows.
 */
import { createRandom, type Random } from '../random';
import { expirationDate, oldRulesExpirationDate, type RuleSet } from '../rules/expiry';
import { addDays, addMonths, DAY_MS, fromParis, parisWallTime } from '../time';
import { HOSTILE_NOM, HOSTILE_PRENOM, HOSTILE_RAISON_SOCIALE } from './hostile';
import { type Demandeur, type Demarche, type Dossier, type DossierState, isTermine } from './model';
import { organisation, person } from './names';
import { MOTIVATIONS } from './texts';

export interface DossierSpec {
  demarche: Demarche;
  number: number;
  state: DossierState;
  /**
   * When the dossier should expire (en_construction or terminé): its reference date (passage en
   * construction, or traitement) is set that many months of retention earlier. Under the 2026
   * rules an en construction dossier never expires: this is its old date.
   */
  expiresAt?: Date;
  deposeAt?: Date;
  enInstructionAt?: Date;
  processedAt?: Date;
  followers?: string[];
  archived?: boolean;
  /** 2026 rules, en construction: keep the old date as a residual `expired_at` (default false). */
  residualExpiredAt?: boolean;
  /** 2026 rules, en construction: the page says « … il n’expirera pas » (default false). */
  neverExpiresLine?: boolean;
  /** Exactly these attachments (see `Dossier.pieces`); drawn when absent. */
  pieces?: Dossier['pieces'];
  /** Filled with hostile content (see `Dossier.hostile`). */
  hostile?: boolean;
}

/** A time of day during office hours, on the same Paris day. */
function duringOfficeHours(random: Random, date: Date): Date {
  const w = parisWallTime(date);
  return fromParis(w.year, w.month, w.day, random.int(8, 18), random.int(0, 59), random.int(0, 59));
}

const earlier = (date: Date, random: Random, minDays: number, maxDays: number) =>
  duringOfficeHours(random, addDays(date, -random.int(minDays, maxDays)));

function demandeurFor(random: Random, demarche: Demarche, hostile: boolean): { demandeur: Demandeur; email: string } {
  if (demarche.forIndividual) {
    const p = person(random);
    const birth = fromParis(random.int(1950, 2002), random.int(1, 12), random.int(1, 28));
    const [nom, prenom] = hostile ? [HOSTILE_NOM, HOSTILE_PRENOM] : [p.nom, p.prenom];
    return {
      demandeur: { kind: 'physique', civilite: p.civilite, nom, prenom, dateDeNaissance: birth },
      email: p.email,
    };
  }
  const school = demarche.path.includes('ecoles');
  const o = organisation(random, school ? 'ecole' : 'club');
  return {
    demandeur: {
      kind: 'morale',
      siret: o.siret,
      raisonSociale: hostile ? HOSTILE_RAISON_SOCIALE : o.name,
      rna: o.rna,
      naf: school ? '85.20Z' : '93.12Z',
      libelleNaf: school ? 'Enseignement primaire' : 'Activités de clubs de sports',
      address: {
        streetNumber: o.streetNumber,
        streetName: o.street,
        postalCode: o.commune.postalCode,
        cityName: o.commune.name,
        cityCode: o.commune.code,
      },
    },
    email: o.email,
  };
}

/** A complete, rule-consistent dossier from a spec; unspecified dates are drawn plausibly before `now`. */
export function buildDossier(spec: DossierSpec, random: Random, now: Date, rules: RuleSet): Dossier {
  const { demarche, state } = spec;
  const retention = demarche.dureeConservationMonths;
  const reference = spec.expiresAt ? addMonths(spec.expiresAt, -retention) : undefined;
  let deposeAt: Date;
  let enInstructionAt: Date | null = null;
  let processedAt: Date | null = null;
  if (state === 'en_construction') {
    deposeAt = spec.deposeAt ?? reference ?? earlier(now, random, 2, 60);
  } else if (state === 'en_instruction') {
    deposeAt = spec.deposeAt ?? earlier(now, random, 15, 300);
    enInstructionAt =
      spec.enInstructionAt ?? new Date(Math.min(addDays(deposeAt, random.int(1, 14)).getTime(), now.getTime()));
  } else {
    processedAt = spec.processedAt ?? reference ?? earlier(now, random, 10, 700);
    enInstructionAt = spec.enInstructionAt ?? earlier(processedAt, random, 2, 40);
    deposeAt = spec.deposeAt ?? earlier(enInstructionAt, random, 1, 25);
  }
  const last = processedAt ?? enInstructionAt ?? deposeAt;
  const { demandeur, email } = demandeurFor(random, demarche, spec.hostile ?? false);
  const dossier: Dossier = {
    number: spec.number,
    demarche: demarche.number,
    state,
    archived: isTermine(state) && (spec.archived ?? false),
    createdAt: new Date(deposeAt.getTime() - random.int(1, 120) * 3_600_000),
    deposeAt,
    // The generator never sends a dossier back en construction, so its last passage is its deposit.
    enConstructionAt: deposeAt,
    enInstructionAt,
    processedAt,
    updatedAt: new Date(Math.min(last.getTime() + random.int(0, 72) * 3_600_000, now.getTime())),
    conservationExtensionMonths: 0,
    enConstructionNoticeSentAt: null,
    termineNoticeSentAt: null,
    expiredAt: null,
    hiddenByExpiredAt: null,
    hiddenByAdministrationAt: null,
    hiddenByUserAt: null,
    hiddenReason: null,
    expirantNotifiedAt: null,
    suppressionNotifiedAt: null,
    neverExpiresLine: spec.neverExpiresLine ?? false,
    followers: spec.followers ?? [],
    news: [],
    usagerEmail: email,
    demandeur,
    motivation:
      isTermine(state) && random.chance(0.8) ? random.pick(MOTIVATIONS[state as keyof typeof MOTIVATIONS]) : null,
  };
  if (spec.pieces) dossier.pieces = spec.pieces;
  if (spec.hostile) dossier.hostile = true;
  dossier.expiredAt = expirationDate(dossier, demarche, rules);
  // DS stopped reading (and writing) it, but rows written before June 2026 kept their value.
  if (rules === '2026' && spec.residualExpiredAt) dossier.expiredAt = oldRulesExpirationDate(dossier, demarche);
  return dossier;
}

/** Where a generated dossier's expiry falls, relative to now (days). */
type Fate = 'soon' | 'later' | 'far' | 'corbeille' | 'purged' | 'never';

/**
 * One profile per dossier of a démarche, cycled: every state, and expiry dates from already purged
 * (`purged`), in the corbeille (`corbeille`), within 14 days (`soon`), to months ahead. The third
 * element marks the en construction dossiers that keep a residual `expired_at` under the 2026 rules
 * (one old date past, one within two weeks, one months ahead in every démarche).
 */
const PROFILES: ReadonlyArray<readonly [DossierState, Fate, residual?: boolean]> = [
  ['en_construction', 'soon', true],
  ['accepte', 'later'],
  ['en_instruction', 'never'],
  ['refuse', 'corbeille'],
  ['accepte', 'soon'],
  ['en_construction', 'later'],
  ['sans_suite', 'later'],
  ['en_instruction', 'never'],
  ['accepte', 'far'],
  ['en_construction', 'corbeille', true],
  ['accepte', 'purged'],
  ['en_construction', 'far', true],
  ['refuse', 'soon'],
  ['en_instruction', 'never'],
  ['accepte', 'later'],
  ['en_construction', 'soon'],
  ['accepte', 'corbeille'],
  ['sans_suite', 'purged'],
  ['en_instruction', 'never'],
  ['refuse', 'later'],
];

/**
 * Days from now to the dossier's expiry (its old date, for an en construction dossier under the
 * 2026 rules: `corbeille` then means an old date up to 400 days past, as nothing removed it, but
 * never before the démarche's publication plus the retention).
 */
function expiryDays(fate: Fate, random: Random, demarche: Demarche, now: Date, neverExpires: boolean): number | null {
  switch (fate) {
    case 'soon':
      return random.int(1, 13);
    case 'later':
      return random.int(15, 90);
    case 'far':
      // The reference date must stay in the past: at most the retention period ahead.
      return random.int(91, Math.max(92, demarche.dureeConservationMonths * 30 - 10));
    case 'corbeille':
      if (neverExpires) {
        const earliest = addMonths(demarche.publishedAt, demarche.dureeConservationMonths).getTime();
        return random.int(Math.min(-14, Math.max(-400, Math.ceil((earliest - now.getTime()) / DAY_MS) + 1)), -1);
      }
      return random.int(-13, -1);
    case 'purged':
      return random.int(-40, -29);
    case 'never':
      return null;
  }
}

export interface Population {
  seed: string;
  demarches: readonly Demarche[];
  count: number;
  now: Date;
  /** The logged-in instructeur, then colleagues. */
  instructeurs: readonly string[];
  rules: RuleSet;
}

export function generateDossiers({ seed, demarches, count, now, instructeurs, rules }: Population): Dossier[] {
  const [me, ...colleagues] = instructeurs;
  const dossiers: Dossier[] = [];
  for (let i = 0; i < count; i++) {
    const random = createRandom(seed, 'dossier', i);
    const demarche = demarches[i % demarches.length]!;
    const [state, fate, residual = false] = PROFILES[Math.floor(i / demarches.length) % PROFILES.length]!;
    const neverExpires = state === 'en_construction' && rules === '2026';
    const days = expiryDays(fate, random, demarche, now, neverExpires);
    // Processed dossiers of a démarche that never expires them were simply processed at some point.
    const expires = days !== null && (state === 'en_construction' || demarche.expiresWhenTermine);
    const colleague = random.pick(colleagues.length > 0 ? colleagues : [me!]);
    const followers = random.weighted<string[]>(
      state === 'en_instruction'
        ? [
            [[me!], 5],
            [[colleague], 3],
            [[me!, colleague], 1],
            [[], 1],
          ]
        : [
            [[], state === 'en_construction' ? 6 : 3],
            [[me!], 3],
            [[colleague], 2],
          ],
    );
    const dossier = buildDossier(
      {
        demarche,
        number: 0,
        state,
        expiresAt: expires ? duringOfficeHours(random, new Date(now.getTime() + days * DAY_MS)) : undefined,
        followers,
        archived: random.chance(0.15),
        residualExpiredAt: residual,
        // A separate stream, so the dossier's other draws do not depend on it.
        neverExpiresLine: createRandom(seed, 'never-expires-line', i).chance(0.5),
      },
      random,
      now,
      rules,
    );
    if (followers.includes(me!) && random.chance(0.25)) {
      dossier.news = [random.pick(['message', 'modifie', 'annotation', 'avis'] as const)];
    }
    // Some dossiers were sent to the corbeille by hand: processed ones by an instructeur, drafts
    // still en construction by their usager (purged two weeks later).
    if (isTermine(state) && (fate === 'later' || fate === 'far' || !expires) && random.chance(0.1)) {
      dossier.hiddenByAdministrationAt = earlier(now, random, 1, 30);
      dossier.hiddenReason = 'instructeur_request';
      dossier.updatedAt = dossier.hiddenByAdministrationAt;
    } else if (state === 'en_construction' && fate === 'later' && random.chance(0.15)) {
      dossier.hiddenByUserAt = earlier(now, random, 1, 25);
      dossier.hiddenReason = 'user_request';
      dossier.updatedAt = dossier.hiddenByUserAt;
    }
    dossiers.push(dossier);
  }
  // DS numbers dossiers by creation; gaps are other démarches' dossiers.
  dossiers.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const numbering = createRandom(seed, 'numbers');
  let number = 2_230_000;
  for (const dossier of dossiers) {
    number += numbering.int(1, 40);
    dossier.number = number;
  }
  return dossiers;
}
