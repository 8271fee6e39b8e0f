/**
 * The démarches of a demo instance. The first three are the default set and differ on purpose:
 * retention (12, 6 and 24 months), whether the list shows "Date d’expiration", and one that does not
 * expire processed dossiers (`procedure_expires_when_termine_enabled = false`, no "expirants" tab).
 * Further démarches cycle through those settings with other titles.
 */
import { addMonths } from '../time';
import type { ChampDescriptor, Demarche, Service } from './model';

interface Preset {
  number: number;
  title: string;
  path: string;
  description: string;
  dureeConservationMonths: number;
  expiresWhenTermine: boolean;
  showsExpirationColumn: boolean;
  forIndividual: boolean;
  hasAttestation: boolean;
  service: Omit<Service, 'id'>;
  champs: readonly ChampDescriptor[];
  annotations: readonly ChampDescriptor[];
}

const MAIRIE: Omit<Service, 'id'> = {
  nom: 'Direction des sports',
  organisme: 'Mairie de Nantes',
  siret: '21440109300015',
  typeOrganisme: 'collectivite_territoriale',
};

const ANNOTATIONS: readonly ChampDescriptor[] = [
  { id: 901, type: 'yes_no', label: 'Dossier complet', description: null, required: false },
  { id: 902, type: 'textarea', label: 'Avis de l’instructeur', description: null, required: false },
  {
    id: 903,
    type: 'piece_justificative',
    label: 'Rapport d’instruction',
    description: null,
    required: false,
  },
];

const PRESETS: readonly Preset[] = [
  {
    number: 104532,
    title: 'Subvention aux associations sportives 2026',
    path: 'subvention-associations-sportives-2026',
    description: 'Demande de subvention de fonctionnement pour les associations sportives de la commune.',
    dureeConservationMonths: 12,
    expiresWhenTermine: true,
    showsExpirationColumn: true,
    forIndividual: false,
    hasAttestation: true,
    service: MAIRIE,
    champs: [
      { id: 101, type: 'header_section', label: 'L’association', description: null, required: false },
      { id: 102, type: 'email', label: 'Adresse électronique de l’association', description: null, required: true },
      { id: 103, type: 'integer_number', label: 'Nombre de licenciés', description: null, required: true },
      {
        id: 104,
        type: 'drop_down_list',
        label: 'Discipline principale',
        description: null,
        required: true,
        options: ['Sports collectifs', 'Sports individuels', 'Sports nautiques', 'Arts martiaux'],
      },
      { id: 105, type: 'header_section', label: 'La demande', description: null, required: false },
      { id: 106, type: 'integer_number', label: 'Montant demandé (€)', description: null, required: true },
      { id: 107, type: 'textarea', label: 'Objet de la demande', description: null, required: true },
      {
        id: 108,
        type: 'repetition',
        label: 'Manifestations prévues',
        description: 'Une ligne par manifestation.',
        required: false,
        children: [
          { id: 1081, type: 'text', label: 'Intitulé', description: null, required: true },
          { id: 1082, type: 'date', label: 'Date', description: null, required: true },
          { id: 1083, type: 'integer_number', label: 'Participants attendus', description: null, required: false },
        ],
      },
      {
        id: 109,
        type: 'piece_justificative',
        label: 'Budget prévisionnel',
        description: 'Au format PDF.',
        required: true,
      },
      { id: 110, type: 'piece_justificative', label: 'Statuts de l’association', description: null, required: true },
      {
        id: 111,
        type: 'checkbox',
        label: 'Je certifie l’exactitude des informations',
        description: null,
        required: true,
      },
    ],
    annotations: ANNOTATIONS,
  },
  {
    number: 98211,
    title: 'Demande de carte de stationnement résidentiel',
    path: 'carte-stationnement-residentiel',
    description: 'Carte de stationnement pour les résidents des zones payantes.',
    dureeConservationMonths: 6,
    expiresWhenTermine: true,
    showsExpirationColumn: false,
    forIndividual: true,
    hasAttestation: true,
    service: {
      nom: 'Service du stationnement',
      organisme: 'Mairie de Nantes',
      siret: '21440109300023',
      typeOrganisme: 'collectivite_territoriale',
    },
    champs: [
      { id: 201, type: 'text', label: 'Immatriculation du véhicule', description: 'Ex. : AB-123-CD', required: true },
      { id: 202, type: 'date', label: 'Date d’emménagement', description: null, required: true },
      {
        id: 203,
        type: 'drop_down_list',
        label: 'Zone de stationnement',
        description: null,
        required: true,
        options: ['Zone A — Centre', 'Zone B — Île de Nantes', 'Zone C — Hauts-Pavés'],
      },
      { id: 204, type: 'piece_justificative', label: 'Justificatif de domicile', description: null, required: true },
      {
        id: 205,
        type: 'piece_justificative',
        label: 'Certificat d’immatriculation',
        description: null,
        required: true,
      },
      { id: 206, type: 'yes_no', label: 'Véhicule électrique', description: null, required: false },
    ],
    annotations: ANNOTATIONS,
  },
  {
    number: 110987,
    title: 'Aide à l’équipement numérique des écoles',
    path: 'equipement-numerique-ecoles',
    description: 'Financement de tablettes, vidéoprojecteurs et ordinateurs pour les écoles publiques.',
    dureeConservationMonths: 24,
    expiresWhenTermine: false,
    showsExpirationColumn: true,
    forIndividual: false,
    hasAttestation: false,
    service: {
      nom: 'Direction académique',
      organisme: 'Services départementaux de l’éducation nationale',
      siret: '17440001800016',
      typeOrganisme: 'service_deconcentre_de_l_etat',
    },
    champs: [
      { id: 301, type: 'explication', label: 'Conditions d’éligibilité', description: null, required: false },
      { id: 302, type: 'integer_number', label: 'Nombre de classes', description: null, required: true },
      {
        id: 303,
        type: 'repetition',
        label: 'Équipements demandés',
        description: null,
        required: true,
        children: [
          { id: 3031, type: 'text', label: 'Équipement', description: null, required: true },
          { id: 3032, type: 'integer_number', label: 'Quantité', description: null, required: true },
        ],
      },
      { id: 304, type: 'piece_justificative', label: 'Devis', description: null, required: true },
      { id: 305, type: 'textarea', label: 'Projet pédagogique', description: null, required: true },
    ],
    annotations: ANNOTATIONS,
  },
];

const EXTRA_TITLES = [
  'Inscription au forum des associations',
  'Déclaration de manifestation sportive sur la voie publique',
  'Autorisation d’occupation temporaire du domaine public',
  'Demande de local associatif',
  'Aide aux classes de découverte',
  'Subvention pour projets culturels',
] as const;

/** `count` démarches: the three presets first, then variants of them. */
export function buildDemarches(count: number, now: Date): Demarche[] {
  return Array.from({ length: count }, (_, index) => {
    const preset = PRESETS[index % PRESETS.length]!;
    const round = Math.floor(index / PRESETS.length);
    const extraTitle = EXTRA_TITLES[(index - PRESETS.length) % EXTRA_TITLES.length];
    const title = round === 0 ? preset.title : `${extraTitle} ${2025 + round}`;
    const number = preset.number + round * 7;
    const createdAt = addMonths(now, -(30 + index));
    const publishedAt = addMonths(createdAt, 1);
    return {
      number,
      title,
      description: preset.description,
      path: round === 0 ? preset.path : `${preset.path}-${round}`,
      state: 'publiee',
      createdAt,
      publishedAt,
      updatedAt: addMonths(publishedAt, 2),
      closedAt: null,
      dureeConservationMonths: preset.dureeConservationMonths,
      expiresWhenTermine: preset.expiresWhenTermine,
      showsExpirationColumn: preset.showsExpirationColumn,
      forIndividual: preset.forIndividual,
      hasAttestation: preset.hasAttestation,
      presentationId: 731245 + index,
      groupe: { number: 41230 + index, label: 'défaut' },
      service: { id: 5120 + index, ...preset.service },
      revision: {
        id: 88010 + index,
        createdAt,
        publishedAt,
        champs: preset.champs,
        annotations: preset.annotations,
      },
    };
  });
}
