/** French sentences the generator composes dossier texts, messages and avis from. */

export const OBJECTS = [
  'Achat de matériel pour l’école de sport et renouvellement des équipements de sécurité.',
  'Organisation du tournoi annuel ouvert aux jeunes licenciés de la métropole.',
  'Déplacements des équipes en championnat régional et frais d’arbitrage.',
  'Création d’une section handisport et formation de deux encadrants.',
  'Rénovation des vestiaires et mise aux normes de l’accueil du public.',
  'Stage d’été pour les jeunes des quartiers prioritaires.',
] as const;

export const PROJECTS = [
  'Équiper chaque classe d’un vidéoprojecteur interactif pour les séances de sciences.',
  'Constituer une flotte de tablettes partagée entre les classes de cycle 3.',
  'Mettre en place un atelier de programmation pour les élèves de CM1 et CM2.',
  'Renouveler les postes de la salle informatique, hors d’usage depuis deux ans.',
] as const;

export const EQUIPMENTS = [
  'Tablette',
  'Vidéoprojecteur',
  'Ordinateur portable',
  'Écran interactif',
  'Robot pédagogique',
];
export const EVENTS = [
  'Tournoi de printemps',
  'Fête du club',
  'Stage d’été',
  'Journée portes ouvertes',
  'Gala de fin de saison',
];
export const PLATES = ['AB-123-CD', 'GF-482-KL', 'EZ-907-TR', 'HK-215-MP', 'FN-660-BX', 'DL-034-QS'];

export const USAGER_MESSAGES = [
  'Bonjour, vous trouverez ci-joint la pièce demandée. Cordialement.',
  'Bonjour, pouvez-vous me dire où en est l’instruction de mon dossier ? Merci.',
  'Bonjour, je vous transmets le document mis à jour.',
  'Merci pour votre retour, je reste disponible pour tout complément.',
] as const;

export const INSTRUCTEUR_MESSAGES = [
  'Bonjour, il manque le budget prévisionnel signé. Merci de le déposer dans la messagerie.',
  'Bonjour, votre dossier est bien reçu et sera examiné en commission.',
  'Bonjour, pourriez-vous préciser le nombre de participants attendus ?',
  'Bonjour, nous avons bien reçu vos pièces. Le dossier est complet.',
] as const;

export const AVIS_QUESTIONS = [
  'Pouvez-vous confirmer la conformité des locaux ?',
  'Le projet vous semble-t-il cohérent avec le plan de mandat ?',
  'Avez-vous des observations sur le budget présenté ?',
] as const;

export const AVIS_ANSWERS = [
  'Avis favorable, rien à signaler.',
  'Avis favorable sous réserve de la production du devis définitif.',
  'Avis réservé : le budget paraît sous-estimé.',
] as const;

export const INSTRUCTEUR_NOTES = [
  'Dossier vu en commission du mois.',
  'Relancer l’usager pour la pièce manquante.',
  'Montant à ajuster selon l’enveloppe restante.',
  'Rien à signaler.',
] as const;

export const MOTIVATIONS = {
  accepte: ['Dossier complet, demande accordée.', 'Avis favorable de la commission.'],
  refuse: ['Les conditions d’éligibilité ne sont pas remplies.', 'Pièces justificatives incomplètes malgré relance.'],
  sans_suite: ['Demande retirée par l’usager.', 'Dossier en double, classé sans suite.'],
} as const;
