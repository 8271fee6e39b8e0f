/**
 * What is inside a dossier: champs and annotations (with repetitions and attachments), messages,
 * avis, traitements, attestation. It is regenerated on demand from (seed, dossier number) rather
 * than stored, so a 10,000-dossier instance costs only its core records; attachment bytes are
 * streamed from the filler, and only their sizes are decided here.
 */

import type { Filler } from '../files/filler';
import type { ByteSource } from '../files/pdf';
import { pdfDocument } from '../files/pdf';
import { createRandom, type Random } from '../random';
import { addDays, frenchDateTime, frenchShortDate } from '../time';
import {
  activeStorageFilename,
  HOSTILE_FILENAMES,
  HOSTILE_MARKUP,
  HOSTILE_MESSAGE_BODY,
  HOSTILE_MESSAGE_FILENAME,
  HOSTILE_TEXTS,
  megabyteValue,
} from './hostile';
import { type ChampDescriptor, type Demarche, type Dossier, isTermine, ownerName } from './model';
import {
  AVIS_ANSWERS,
  AVIS_QUESTIONS,
  EQUIPMENTS,
  EVENTS,
  INSTRUCTEUR_MESSAGES,
  INSTRUCTEUR_NOTES,
  OBJECTS,
  PLATES,
  PROJECTS,
  USAGER_MESSAGES,
} from './texts';

/** The ZIP folder DS files an attachment under (`ActiveStorage::DownloadableFile.folder`). */
export type FileFolder = 'pieces_justificatives' | 'messagerie' | 'avis' | 'dossier';

export interface StoredFile {
  /** ActiveStorage blob key: what the signed file URL points at. */
  key: string;
  /** Attachment id (DS appends `id % 10000` to names in ZIPs). */
  id: number;
  /** Number of the dossier the file belongs to. */
  owner: number;
  filename: string;
  contentType: string;
  createdAt: Date;
  folder: FileFolder;
  source: ByteSource;
}

export interface ChampValue {
  descriptor: ChampDescriptor;
  value: string | number | boolean | Date | null;
  files: StoredFile[];
  rows: ChampRow[];
  updatedAt: Date;
  /** Set on champs inside a repetition row. */
  rowId?: number;
}

export interface ChampRow {
  id: number;
  champs: ChampValue[];
}

export interface MessageRecord {
  id: number;
  email: string;
  body: string;
  createdAt: Date;
  attachments: StoredFile[];
}

export interface AvisRecord {
  id: number;
  question: string;
  answer: string | null;
  askedAt: Date;
  answeredAt: Date | null;
  claimant: string;
  expert: string;
  attachments: StoredFile[];
}

export type TraitementEvent = 'depose' | 'passe_en_instruction' | 'accepte' | 'refuse' | 'classe_sans_suite';

export interface TraitementRecord {
  event: TraitementEvent;
  at: Date;
  agent: string | null;
  motivation: string | null;
}

export interface DossierContent {
  champs: ChampValue[];
  annotations: ChampValue[];
  messages: MessageRecord[];
  avis: AvisRecord[];
  traitements: TraitementRecord[];
  attestation: StoredFile | null;
  motivationAttachment: StoredFile | null;
  /** Every attachment, in the order DS lists them in a dossier ZIP (champs, messages, dossier, avis). */
  files: StoredFile[];
}

export interface ContentOptions {
  seed: string;
  /** Total size of a dossier's attachments, in KiB (each file is at least a small PDF). */
  attachmentKb: number;
  filler: Filler;
  instructeurs: readonly string[];
}

const KEY_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const TERMINE_EVENTS = { accepte: 'accepte', refuse: 'refuse', sans_suite: 'classe_sans_suite' } as const;

export class ContentGenerator {
  /** Which dossier each handed-out blob key belongs to (filled as contents are generated). */
  private readonly owners = new Map<string, number>();

  constructor(private readonly options: ContentOptions) {}

  ownerOf(key: string): number | undefined {
    return this.owners.get(key);
  }

  contentOf(dossier: Dossier, demarche: Demarche): DossierContent {
    const random = createRandom(this.options.seed, 'content', dossier.number);
    const files = new FileFactory(random, dossier, demarche, this.options);
    const depot = dossier.deposeAt;
    const lastActivity = dossier.processedAt ?? dossier.enInstructionAt ?? addDays(depot, 10);
    const between = (from: Date, to: Date) =>
      new Date(from.getTime() + random.next() * (to.getTime() - from.getTime()));

    const champs = demarche.revision.champs.map((d) => champValue(d, random, dossier, depot, files));
    const annotationDate = between(depot, lastActivity);
    const annotations = demarche.revision.annotations.map((d) =>
      d.type === 'piece_justificative' && !random.chance(0.3)
        ? { descriptor: d, value: null, files: [], rows: [], updatedAt: annotationDate }
        : champValue(d, random, dossier, annotationDate, files, 'annotation'),
    );

    const messages: MessageRecord[] = [];
    for (let i = 0, count = random.int(0, 3); i < count; i++) {
      const fromUsager = i % 2 === 1;
      const createdAt = between(depot, lastActivity);
      messages.push({
        id: dossier.number * 8 + i,
        email: fromUsager ? dossier.usagerEmail : random.pick(this.options.instructeurs),
        body: random.pick(fromUsager ? USAGER_MESSAGES : INSTRUCTEUR_MESSAGES),
        createdAt,
        attachments:
          fromUsager && files.drawsExtras && random.chance(0.6)
            ? [files.attach('piece-complementaire.pdf', 'messagerie', createdAt, 'Pièce complémentaire')]
            : [],
      });
    }
    if (dossier.hostile) {
      const createdAt = between(depot, lastActivity);
      messages.push({
        id: dossier.number * 8 + 7,
        email: dossier.usagerEmail,
        body: HOSTILE_MESSAGE_BODY,
        createdAt,
        attachments: [files.attach(HOSTILE_MESSAGE_FILENAME, 'messagerie', createdAt, 'Pièce complémentaire')],
      });
    }
    messages.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());

    const avis: AvisRecord[] = [];
    if (dossier.state !== 'en_construction' && random.chance(0.3)) {
      const askedAt = between(dossier.enInstructionAt ?? depot, lastActivity);
      const answered = random.chance(0.7);
      const answeredAt = answered ? addDays(askedAt, random.int(1, 10)) : null;
      avis.push({
        id: dossier.number * 4,
        question: random.pick(AVIS_QUESTIONS),
        answer: answered ? random.pick(AVIS_ANSWERS) : null,
        askedAt,
        answeredAt,
        claimant: random.pick(this.options.instructeurs),
        expert: 'expert.technique@exemple.gouv.fr',
        attachments:
          answeredAt && files.drawsExtras && random.chance(0.5)
            ? [files.attach('avis-service-technique.pdf', 'avis', answeredAt, 'Avis du service technique')]
            : [],
      });
    }

    const agent = random.pick(this.options.instructeurs);
    const traitements: TraitementRecord[] = [{ event: 'depose', at: depot, agent: null, motivation: null }];
    if (dossier.enInstructionAt) {
      traitements.push({ event: 'passe_en_instruction', at: dossier.enInstructionAt, agent, motivation: null });
    }
    let motivationAttachment: StoredFile | null = null;
    if (isTermine(dossier.state) && dossier.processedAt) {
      const state = dossier.state as keyof typeof TERMINE_EVENTS;
      traitements.push({
        event: TERMINE_EVENTS[state],
        at: dossier.processedAt,
        agent,
        motivation: dossier.motivation,
      });
      if (state === 'refuse' && files.drawsExtras && random.chance(0.5)) {
        motivationAttachment = files.attach(
          'courrier-de-refus.pdf',
          'dossier',
          dossier.processedAt,
          'Courrier de refus',
        );
      }
    }

    const sized = files.finish();
    const attestation =
      dossier.state === 'accepte' && demarche.hasAttestation && dossier.processedAt
        ? files.attestation(dossier.processedAt)
        : null;
    for (const file of [...sized, ...(attestation ? [attestation] : [])]) this.owners.set(file.key, dossier.number);

    const champFiles = (values: ChampValue[]): StoredFile[] =>
      values.flatMap((c) => [...c.files, ...c.rows.flatMap((r) => champFiles(r.champs))]);
    return {
      champs,
      annotations,
      messages,
      avis,
      traitements,
      attestation,
      motivationAttachment,
      files: [
        ...champFiles(champs),
        ...champFiles(annotations),
        ...messages.flatMap((m) => m.attachments),
        ...(motivationAttachment ? [motivationAttachment] : []),
        ...(attestation ? [attestation] : []),
        ...avis.flatMap((a) => a.attachments),
      ],
    };
  }
}

const PJ_FILENAMES: Record<string, string> = {
  'Budget prévisionnel': 'budget-previsionnel-2026.pdf',
  'Statuts de l’association': 'statuts.pdf',
  'Justificatif de domicile': 'justificatif-de-domicile.pdf',
  'Certificat d’immatriculation': 'certificat-immatriculation.pdf',
  Devis: 'devis-equipement.pdf',
  'Rapport d’instruction': 'rapport-instruction.pdf',
};

function champValue(
  descriptor: ChampDescriptor,
  random: Random,
  dossier: Dossier,
  updatedAt: Date,
  files: FileFactory,
  kind: 'champ' | 'annotation' = 'champ',
  rowId?: number,
  rowIndex?: number,
): ChampValue {
  const base = { descriptor, files: [] as StoredFile[], rows: [] as ChampRow[], updatedAt, rowId };
  switch (descriptor.type) {
    case 'header_section':
    case 'explication':
      return { ...base, value: null };
    case 'email':
      return { ...base, value: dossier.usagerEmail };
    case 'text':
      return { ...base, value: dossier.hostile ? hostileText(rowIndex) : textFor(descriptor, random) };
    case 'textarea':
      if (kind === 'annotation') return { ...base, value: random.pick(INSTRUCTEUR_NOTES) };
      return { ...base, value: dossier.hostile ? megabyteValue() : random.pick([...OBJECTS, ...PROJECTS]) };
    case 'date':
      return { ...base, value: addDays(dossier.deposeAt, random.int(-200, 120)) };
    case 'integer_number':
      return { ...base, value: integerFor(descriptor, random) };
    case 'yes_no':
    case 'checkbox':
      return { ...base, value: descriptor.type === 'checkbox' || random.chance(0.6) };
    case 'drop_down_list':
      return { ...base, value: random.pick(descriptor.options ?? ['']) };
    case 'piece_justificative': {
      const name = PJ_FILENAMES[descriptor.label] ?? 'piece-justificative.pdf';
      const count = files.fixedCount(descriptor) ?? (random.chance(0.15) ? 2 : 1);
      const attached = Array.from({ length: count }, (_, i) =>
        files.attach(
          dossier.hostile
            ? HOSTILE_FILENAMES[i % HOSTILE_FILENAMES.length]!
            : i === 0
              ? name
              : name.replace('.pdf', `-${i + 1}.pdf`),
          'pieces_justificatives',
          updatedAt,
          descriptor.label,
        ),
      );
      return { ...base, value: null, files: attached };
    }
    case 'repetition': {
      // The hostile dossier has a row per hostile text (ids spaced so they never meet another dossier's).
      const count = dossier.hostile ? HOSTILE_TEXTS.length : random.int(1, 3);
      const rows = Array.from({ length: count }, (_, i) => {
        const id = dossier.hostile ? dossier.number * 100 + i : dossier.number * 10 + i;
        return {
          id,
          champs: (descriptor.children ?? []).map((child) =>
            champValue(child, random, dossier, updatedAt, files, kind, id, i),
          ),
        };
      });
      return { ...base, value: null, rows };
    }
  }
}

/** A repetition row's text is the row's hostile text; a text champ outside a repetition, markup. */
function hostileText(rowIndex: number | undefined): string {
  return rowIndex === undefined ? HOSTILE_MARKUP[2] : HOSTILE_TEXTS[rowIndex % HOSTILE_TEXTS.length]!;
}

function textFor(descriptor: ChampDescriptor, random: Random): string {
  if (descriptor.label.startsWith('Immatriculation')) return random.pick(PLATES);
  if (descriptor.label === 'Équipement') return random.pick(EQUIPMENTS);
  return random.pick(EVENTS);
}

function integerFor(descriptor: ChampDescriptor, random: Random): number {
  if (descriptor.label.startsWith('Montant')) return random.int(5, 60) * 100;
  if (descriptor.label.startsWith('Nombre de licenciés')) return random.int(20, 450);
  if (descriptor.label.startsWith('Nombre de classes')) return random.int(3, 18);
  return random.int(1, 120);
}

/** Hands out attachments for one dossier, then splits the dossier's byte budget across them. */
class FileFactory {
  private readonly pending: Array<{ file: StoredFile; title: string; weight: number; start: number }> = [];

  constructor(
    private readonly random: Random,
    private readonly dossier: Dossier,
    private readonly demarche: Demarche,
    private readonly options: ContentOptions,
  ) {}

  private key(): string {
    return Array.from({ length: 28 }, () => KEY_ALPHABET[this.random.int(0, KEY_ALPHABET.length - 1)]).join('');
  }

  /** False when the dossier's attachments are fixed (`Dossier.pieces`): no message, avis or motivation file. */
  get drawsExtras(): boolean {
    return !this.dossier.pieces;
  }

  /** How many files a « pièce justificative » champ holds when they are fixed: all in the first one. */
  fixedCount(descriptor: ChampDescriptor): number | undefined {
    const { pieces } = this.dossier;
    if (!pieces) return undefined;
    const first = this.demarche.revision.champs.find((d) => d.type === 'piece_justificative');
    return descriptor === first ? pieces.count : 0;
  }

  attach(filename: string, folder: StoredFile['folder'], createdAt: Date, title: string): StoredFile {
    const file: StoredFile = {
      key: this.key(),
      id: this.dossier.number * 16 + this.pending.length,
      owner: this.dossier.number,
      filename: activeStorageFilename(filename),
      contentType: 'application/pdf',
      createdAt,
      folder,
      source: { size: 0, chunks: () => [] },
    };
    this.pending.push({ file, title, weight: 0.5 + this.random.next(), start: this.random.int(0, 1 << 20) });
    return file;
  }

  /** Gives every attachment its bytes: a real PDF naming the piece, padded to its share of the budget. */
  finish(): StoredFile[] {
    const budget = (this.dossier.pieces?.totalKb ?? this.options.attachmentKb) * 1024;
    const totalWeight = this.pending.reduce((sum, p) => sum + p.weight, 0);
    for (const { file, title, weight, start } of this.pending) {
      const lines = [
        { text: title, size: 16, bold: true },
        { text: `Dossier n° ${this.dossier.number} – ${ownerName(this.dossier.demandeur)}`, gap: 8 },
        { text: this.demarche.title },
        { text: `Document déposé le ${frenchDateTime(file.createdAt)}` },
        { text: 'Document fictif généré par l’instance de démonstration d’Archiviste.', gap: 12 },
      ];
      file.source = pdfDocument(lines, {
        title: file.filename,
        padTo: Math.round((budget * weight) / totalWeight),
        filler: (length) => this.options.filler(length, start),
      });
    }
    return this.pending.map((p) => p.file);
  }

  /** The attestation PDF DS generates when the dossier is accepted. */
  attestation(processedAt: Date): StoredFile {
    const { dossier, demarche } = this;
    return {
      key: this.key(),
      id: dossier.number * 16 + 15,
      owner: dossier.number,
      filename: `attestation-dossier-${dossier.number}.pdf`,
      contentType: 'application/pdf',
      createdAt: processedAt,
      folder: 'pieces_justificatives',
      source: pdfDocument(
        [
          { text: 'Attestation d’acceptation', size: 18, bold: true },
          { text: demarche.service.organisme, gap: 12 },
          { text: demarche.service.nom },
          { text: `Démarche : ${demarche.title}`, gap: 12 },
          { text: `Dossier n° ${dossier.number}` },
          { text: `Demandeur : ${ownerName(dossier.demandeur)}` },
          { text: `Dossier accepté le ${frenchShortDate(processedAt)}.`, gap: 12 },
        ],
        { title: `Attestation – dossier ${dossier.number}` },
      ),
    };
  }
}
