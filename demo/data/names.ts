/** Fictional French people, associations and places the generator draws from. */
import type { Random } from '../random';

const FIRST_NAMES = [
  'Camille',
  'Julien',
  'Sophie',
  'Thomas',
  'Léa',
  'Nicolas',
  'Manon',
  'Antoine',
  'Chloé',
  'Hugo',
  'Inès',
  'Mathieu',
  'Élodie',
  'Lucas',
  'Sarah',
  'Maxime',
  'Pauline',
  'Romain',
  'Julie',
  'Karim',
  'Anaïs',
  'Yann',
  'Nadia',
  'François',
  'Amélie',
  'Baptiste',
  'Océane',
  'Sébastien',
  'Noémie',
  'Théo',
] as const;

const LAST_NAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefebvre',
  'Michel',
  'Garcia',
  'David',
  'Bertrand',
  'Roux',
  'Vincent',
  'Fournier',
  'Morel',
  'Girard',
  'André',
  'Le Gall',
  'Mercier',
  'Blanc',
  'Guérin',
  'Boyer',
  'Garnier',
  'Chevalier',
  'Kerbrat',
  'Nguyen',
  'Benali',
  'Le Goff',
] as const;

const COMMUNES = [
  { name: 'Nantes', postalCode: '44000', code: '44109' },
  { name: 'Rezé', postalCode: '44400', code: '44143' },
  { name: 'Saint-Herblain', postalCode: '44800', code: '44162' },
  { name: 'Orvault', postalCode: '44700', code: '44114' },
  { name: 'Vertou', postalCode: '44120', code: '44215' },
  { name: 'Carquefou', postalCode: '44470', code: '44026' },
  { name: 'Bouguenais', postalCode: '44340', code: '44020' },
  { name: 'Couëron', postalCode: '44220', code: '44047' },
  { name: 'Saint-Sébastien-sur-Loire', postalCode: '44230', code: '44190' },
  { name: 'Sautron', postalCode: '44880', code: '44194' },
  { name: 'Nort-sur-Erdre', postalCode: '44390', code: '44110' },
  { name: 'La Chapelle-sur-Erdre', postalCode: '44240', code: '44035' },
] as const;

const STREETS = [
  'rue de la Paix',
  'avenue des Sports',
  'boulevard Victor-Hugo',
  'rue du Stade',
  'chemin des Écoliers',
  'rue Jean-Jaurès',
  'place de la Mairie',
  'allée des Tilleuls',
  'rue de Strasbourg',
  'quai de la Fosse',
] as const;

const SPORTS = [
  'Judo',
  'Aviron',
  'Escrime',
  'Basket',
  'Tennis',
  'Canoë-Kayak',
  'Pétanque',
  'Handball',
  'Athlétisme',
  'Gymnastique',
  'Natation',
  'Tennis de table',
  'Rugby',
  'Badminton',
  'Escalade',
] as const;

const CLUB_FORMS = ['Club de', 'Association sportive de', 'Cercle de', 'Union sportive de', 'Entente de'] as const;

export interface Organisation {
  name: string;
  email: string;
  siret: string;
  rna: string;
  commune: (typeof COMMUNES)[number];
  street: string;
  streetNumber: string;
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const digits = (random: Random, count: number) =>
  Array.from({ length: count }, () => String(random.int(0, 9))).join('');

/** A sports club, a school or another organisation that files dossiers as a legal entity. */
export function organisation(random: Random, kind: 'club' | 'ecole'): Organisation {
  const commune = random.pick(COMMUNES);
  const name =
    kind === 'club'
      ? `${random.pick(CLUB_FORMS)} ${random.pick(SPORTS)} ${commune.name}`
      : `École ${random.pick(['élémentaire', 'primaire', 'maternelle'])} ${random.pick(['Jules-Verne', 'Jacques-Prévert', 'Marie-Curie', 'Louise-Michel', 'Jean-Moulin', 'Victor-Hugo'])} de ${commune.name}`;
  const domain = random.pick(['free.fr', 'orange.fr', 'gmail.com', 'laposte.net', 'wanadoo.fr']);
  const local = random.pick(['contact', 'secretariat', 'president', 'tresorier', slug(name).slice(0, 18)]);
  return {
    name,
    email: `${local}.${digits(random, 3)}@${domain}`,
    siret: digits(random, 14),
    rna: `W44${digits(random, 7)}`,
    commune,
    street: random.pick(STREETS),
    streetNumber: String(random.int(1, 120)),
  };
}

export interface Person {
  civilite: 'M' | 'Mme';
  prenom: string;
  nom: string;
  email: string;
}

export function person(random: Random): Person {
  const prenom = random.pick(FIRST_NAMES);
  const nom = random.pick(LAST_NAMES);
  const civilite = random.chance(0.5) ? 'Mme' : 'M';
  const domain = random.pick(['free.fr', 'orange.fr', 'gmail.com', 'laposte.net', 'sfr.fr', 'proton.me']);
  return { civilite, prenom, nom, email: `${slug(prenom)}.${slug(nom)}${random.int(1, 99)}@${domain}` };
}
