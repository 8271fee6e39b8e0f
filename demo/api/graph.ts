/**
 * The objects behind the GraphQL types (graphql-js reads their properties and calls their methods
 * with the field arguments). They expose the demo's records the way DS's types do
 * (app/graphql/types/*.rb): typed ids, authorization per démarche, `dateExpiration`, DS's
 * connections and its errors.
 */
import { GraphQLError } from 'graphql';
import type { DemoApp } from '../app';
import type {
  AvisRecord,
  ChampValue,
  DossierContent,
  MessageRecord,
  StoredFile,
  TraitementRecord,
} from '../data/content';
import type { ChampDescriptor, DeletedDossier, Demarche, Dossier, DossierState } from '../data/model';
import { effectiveExpiredAt, isPendingDeletion, isVisibleByAdministration } from '../rules/expiry';
import { frenchShortDate } from '../time';
import { type Connection, type ConnectionArgs, paginate } from './pagination';

export interface ApiContext {
  app: DemoApp;
  /** Démarches the caller may read (null: every one). */
  demarches: ReadonlySet<number> | null;
  /** Origin of the request, for the URLs DS builds from `Current.host`. */
  origin: string;
}

/** `GraphQL::Schema::UniqueWithinType.encode`: strict base64 of `<Type>-<id>`. */
export const typedId = (type: string, id: string | number): string => Buffer.from(`${type}-${id}`).toString('base64');

function decodeTypedId(id: string): string {
  const decoded = Buffer.from(id, 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf('-') + 1);
}

const notFound = (type: string) => new GraphQLError(`${type} not found`, { extensions: { code: 'not_found' } });

/** `Schema.unauthorized_object`: a top-level error, answered with HTTP 200. */
function authorize(ctx: ApiContext, demarche: Demarche, type: string): void {
  if (ctx.demarches && !ctx.demarches.has(demarche.number)) {
    throw new GraphQLError(`An object of type ${type} was hidden due to permissions`, {
      extensions: { code: 'unauthorized' },
    });
  }
}

const profile = (kind: 'Instructeur' | 'User', email: string) => ({
  id: typedId(kind, [...email].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 100_000),
  email,
});

class FileNode {
  constructor(
    private readonly ctx: ApiContext,
    private readonly file: StoredFile,
  ) {}
  get url() {
    return this.ctx.app.fileUrl(this.file.key, this.file.filename);
  }
  get filename() {
    return this.file.filename;
  }
  get contentType() {
    return this.file.contentType;
  }
  get byteSize() {
    return this.file.source.size;
  }
  get byteSizeBigInt() {
    return this.file.source.size;
  }
  get checksum() {
    const checksum = this.ctx.app.checksum(this.file);
    // The `wrongChecksum` fault reports the digest of other bytes.
    return this.ctx.app.faults.wrongChecksum ? Buffer.from(checksum, 'base64').reverse().toString('base64') : checksum;
  }
  get createdAt() {
    return this.file.createdAt;
  }
  readonly virusScanResult = 'safe';
}

const files = (ctx: ApiContext, list: readonly StoredFile[]) => list.map((f) => new FileNode(ctx, f));

const CHAMP_TYPENAMES: Record<ChampDescriptor['type'], string> = {
  text: 'TextChamp',
  textarea: 'TextChamp',
  email: 'TextChamp',
  date: 'DateChamp',
  integer_number: 'IntegerNumberChamp',
  yes_no: 'YesNoChamp',
  checkbox: 'CheckboxChamp',
  drop_down_list: 'DropDownListChamp',
  piece_justificative: 'PieceJustificativeChamp',
  repetition: 'RepetitionChamp',
  header_section: 'HeaderSectionChamp',
  explication: 'ExplicationChamp',
};

const DESCRIPTOR_TYPENAMES: Record<ChampDescriptor['type'], string> = {
  text: 'TextChampDescriptor',
  textarea: 'TextareaChampDescriptor',
  email: 'EmailChampDescriptor',
  date: 'DateChampDescriptor',
  integer_number: 'IntegerNumberChampDescriptor',
  yes_no: 'YesNoChampDescriptor',
  checkbox: 'CheckboxChampDescriptor',
  drop_down_list: 'DropDownListChampDescriptor',
  piece_justificative: 'PieceJustificativeChampDescriptor',
  repetition: 'RepetitionChampDescriptor',
  header_section: 'HeaderSectionChampDescriptor',
  explication: 'ExplicationChampDescriptor',
};

const COLUMN_TYPENAMES: Partial<Record<ChampDescriptor['type'], string>> = {
  text: 'TextColumn',
  textarea: 'TextColumn',
  email: 'TextColumn',
  date: 'DateColumn',
  integer_number: 'IntegerColumn',
  yes_no: 'BooleanColumn',
  checkbox: 'BooleanColumn',
  drop_down_list: 'EnumColumn',
  piece_justificative: 'AttachmentsColumn',
};

class ChampDescriptorNode {
  readonly __typename: string;
  constructor(private readonly descriptor: ChampDescriptor) {
    this.__typename = DESCRIPTOR_TYPENAMES[descriptor.type];
  }
  get id() {
    return typedId('TypeDeChamp', this.descriptor.id);
  }
  get label() {
    return this.descriptor.label;
  }
  get description() {
    return this.descriptor.description;
  }
  get required() {
    return this.descriptor.required;
  }
  get options() {
    return this.descriptor.options ?? null;
  }
  /** Deprecated in DS for `__typename`, still answered: DS's own `TypeDeChamp` names are the demo's. */
  get type() {
    return this.descriptor.type;
  }
  readonly otherOption = false;
  readonly fileTemplate = null;
  readonly level = 1;
  readonly collapsibleExplanationEnabled = false;
  readonly collapsibleExplanationText = null;
  get champDescriptors() {
    return this.descriptor.children?.map((c) => new ChampDescriptorNode(c)) ?? null;
  }
}

/** `champ_value_for_api`. */
function stringValue(champ: ChampValue): string | null {
  const { value, descriptor } = champ;
  if (descriptor.type === 'piece_justificative') return champ.files.map((f) => f.filename).join(', ') || null;
  if (descriptor.type === 'repetition') {
    return champ.rows
      .map((r) => r.champs.map((c) => `${c.descriptor.label} : ${stringValue(c) ?? ''}`).join('\n'))
      .join('\n\n');
  }
  if (value instanceof Date) return frenchShortDate(value);
  if (typeof value === 'boolean') return value ? 'Oui' : 'Non';
  return value === null ? null : String(value);
}

class ChampNode {
  readonly __typename: string;
  constructor(
    private readonly ctx: ApiContext,
    private readonly champ: ChampValue,
  ) {
    this.__typename = CHAMP_TYPENAMES[champ.descriptor.type];
  }
  get id() {
    const { descriptor, rowId } = this.champ;
    return typedId('Champ', rowId === undefined ? descriptor.id : `${descriptor.id}|${rowId}`);
  }
  get champDescriptorId() {
    return typedId('TypeDeChamp', this.champ.descriptor.id);
  }
  get label() {
    return this.champ.descriptor.label;
  }
  get stringValue() {
    return stringValue(this.champ);
  }
  get updatedAt() {
    return this.champ.updatedAt;
  }
  readonly prefilled = false;
  get value() {
    return this.champ.value;
  }
  get date() {
    return this.champ.value;
  }
  get files() {
    return files(this.ctx, this.champ.files);
  }
  /** Deprecated in DS for `files`: its first file. */
  get file() {
    return this.files[0] ?? null;
  }
  readonly level = 1;
  get rows() {
    return this.champ.rows.map((row) => ({
      id: typedId('Row', row.id),
      champs: row.champs.map((c) => new ChampNode(this.ctx, c)),
    }));
  }
  /** Deprecated in DS for `rows`: every row's champs, one after the other. */
  get champs() {
    return this.rows.flatMap((row) => row.champs);
  }
  /** Type-de-champ columns (none for repetitions and layout champs). */
  get columns() {
    const { descriptor } = this.champ;
    const __typename = COLUMN_TYPENAMES[descriptor.type];
    if (!__typename) return [];
    const value = descriptor.type === 'piece_justificative' ? this.files : this.champ.value;
    return [
      {
        __typename,
        id: typedId('Column', `type_de_champ/${descriptor.id}`),
        label: descriptor.label,
        stringValue:
          descriptor.type === 'piece_justificative' ? this.files.map((f) => f.url).join(', ') : this.stringValue,
        value,
      },
    ];
  }
}

function byTypedId<T>(list: readonly T[], id: string | undefined, idOf: (item: T) => string): T[] {
  return id === undefined || id === null ? [...list] : list.filter((item) => idOf(item) === id);
}

class RevisionNode {
  constructor(private readonly demarche: Demarche) {}
  get id() {
    return typedId('ProcedureRevision', this.demarche.revision.id);
  }
  get dateCreation() {
    return this.demarche.revision.createdAt;
  }
  get datePublication() {
    return this.demarche.revision.publishedAt;
  }
  get champDescriptors() {
    return this.demarche.revision.champs.map((c) => new ChampDescriptorNode(c));
  }
  get annotationDescriptors() {
    return this.demarche.revision.annotations.map((c) => new ChampDescriptorNode(c));
  }
}

function serviceOf(demarche: Demarche) {
  const { service } = demarche;
  return { ...service, id: typedId('Service', service.id) };
}

class GroupeInstructeurNode {
  constructor(
    protected readonly ctx: ApiContext,
    protected readonly demarche: Demarche,
  ) {}
  get id() {
    return typedId('GroupeInstructeur', this.demarche.groupe.number);
  }
  get number() {
    return this.demarche.groupe.number;
  }
  get label() {
    return this.demarche.groupe.label;
  }
  readonly closed = false;
  get instructeurs() {
    const { account } = this.ctx.app;
    return [account.email, ...account.colleagues].map((email) => profile('Instructeur', email));
  }
}

const ADDRESS_REGION = {
  departmentName: 'Loire-Atlantique',
  departmentCode: '44',
  regionName: 'Pays de la Loire',
  regionCode: '52',
};

function demandeurOf(dossier: Dossier) {
  const d = dossier.demandeur;
  if (d.kind === 'physique') {
    return {
      __typename: 'PersonnePhysique',
      id: typedId('Individual', dossier.number),
      civilite: d.civilite,
      nom: d.nom,
      prenom: d.prenom,
      email: null,
      dateDeNaissance: d.dateDeNaissance,
    };
  }
  const street = `${d.address.streetNumber} ${d.address.streetName}`;
  return {
    __typename: 'PersonneMorale',
    id: typedId('Etablissement', dossier.number),
    siret: d.siret,
    siegeSocial: true,
    naf: d.naf,
    libelleNaf: d.libelleNaf,
    address: {
      label: `${street} ${d.address.postalCode} ${d.address.cityName}`,
      type: 'housenumber',
      streetAddress: street,
      ...d.address,
      ...ADDRESS_REGION,
    },
    entreprise: {
      siren: d.siret.slice(0, 9),
      siretSiegeSocial: d.siret,
      raisonSociale: d.raisonSociale,
      nomCommercial: '',
      capitalSocial: null,
      codeEffectifEntreprise: null,
      dateCreation: null,
      formeJuridique: 'Association déclarée',
      formeJuridiqueCode: '9220',
      nom: null,
      prenom: null,
      numeroTvaIntracommunautaire: null,
      attestationFiscaleAttachment: null,
      attestationSocialeAttachment: null,
    },
    association: {
      rna: d.rna,
      titre: d.raisonSociale,
      objet: null,
      dateCreation: null,
      dateDeclaration: null,
      datePublication: null,
    },
  };
}

const TRAITEMENT_STATES: Record<TraitementRecord['event'], DossierState> = {
  depose: 'en_construction',
  passe_en_instruction: 'en_instruction',
  accepte: 'accepte',
  refuse: 'refuse',
  classe_sans_suite: 'sans_suite',
};

export class DossierNode {
  private loaded: DossierContent | null = null;
  constructor(
    private readonly ctx: ApiContext,
    private readonly dossier: Dossier,
  ) {}
  private get content(): DossierContent {
    this.loaded ??= this.ctx.app.contentOf(this.dossier);
    return this.loaded;
  }
  private get demarcheRecord(): Demarche {
    return this.ctx.app.demarcheOf(this.dossier);
  }
  get id() {
    return typedId('Dossier', this.dossier.number);
  }
  get number() {
    return this.dossier.number;
  }
  get state() {
    return this.dossier.state;
  }
  get archived() {
    return this.dossier.archived;
  }
  readonly prefilled = false;
  get dateDepot() {
    return this.dossier.deposeAt;
  }
  get datePassageEnConstruction() {
    return this.dossier.enConstructionAt;
  }
  get datePassageEnInstruction() {
    return this.dossier.enInstructionAt;
  }
  get dateTraitement() {
    return this.dossier.processedAt;
  }
  get dateDerniereModification() {
    return this.dossier.updatedAt;
  }
  get dateDerniereModificationChamps() {
    return this.dossier.deposeAt;
  }
  get dateDerniereModificationAnnotations() {
    const dates = this.content.annotations.map((a) => a.updatedAt.getTime());
    return dates.length ? new Date(Math.max(...dates)) : this.dossier.createdAt;
  }
  /**
   * `expired_at`, except for dossiers that never expire: en_instruction, and en_construction since
   * June 2026 (whose residual `expired_at` DS no longer reads).
   */
  get dateExpiration() {
    return effectiveExpiredAt(this.dossier, this.ctx.app.store.rules);
  }
  get dateSuppressionParUsager() {
    return this.dossier.hiddenByUserAt;
  }
  get dateSuppressionParAdministration() {
    return this.dossier.hiddenByAdministrationAt;
  }
  readonly dateDerniereCorrectionEnAttente = null;
  readonly connectionUsager = 'password';
  get usager() {
    return profile('User', this.dossier.usagerEmail);
  }
  get demandeur() {
    return demandeurOf(this.dossier);
  }
  readonly prenomMandataire = null;
  readonly nomMandataire = null;
  readonly deposeParUnTiers = false;
  get motivation() {
    return this.dossier.motivation;
  }
  get motivationAttachment() {
    const file = this.content.motivationAttachment;
    return file ? new FileNode(this.ctx, file) : null;
  }
  get attestation() {
    const file = this.content.attestation;
    return file ? new FileNode(this.ctx, file) : null;
  }
  /** Rendered on request at a signed URL of the main host; DS reports no size nor checksum. */
  get pdf() {
    const { app, origin } = this.ctx;
    return {
      filename: `dossier-${this.dossier.number}.pdf`,
      contentType: 'application/pdf',
      url: `${origin}/api/v2/dossiers/pdf/${app.signer.sgid(String(this.dossier.number), 'api_v2')}`,
      byteSize: 0,
      byteSizeBigInt: '0',
      checksum: '',
      createdAt: app.now(),
      virusScanResult: 'pending',
    };
  }
  get demarche() {
    return new DemarcheDescriptorNode(this.ctx, this.demarcheRecord);
  }
  /** Deprecated in DS for `demarche.revision`. */
  get revision() {
    return new RevisionNode(this.demarcheRecord);
  }
  get groupeInstructeur() {
    return new GroupeInstructeurNode(this.ctx, this.demarcheRecord);
  }
  get instructeurs() {
    return this.dossier.followers.map((email) => profile('Instructeur', email));
  }
  get traitements() {
    return this.content.traitements.map((t, i) => ({
      id: typedId('Traitement', this.dossier.number * 10 + i),
      event: t.event,
      state: TRAITEMENT_STATES[t.event],
      dateTraitement: t.at,
      emailAgentTraitant: t.agent,
      motivation: t.motivation,
      revision: new RevisionNode(this.demarcheRecord),
    }));
  }
  champs({ id }: { id?: string }) {
    const champs = this.content.champs.map((c) => new ChampNode(this.ctx, c));
    return byTypedId(champs, id, (c) => c.id);
  }
  annotations({ id }: { id?: string }) {
    const annotations = this.content.annotations.map((c) => new ChampNode(this.ctx, c));
    return byTypedId(annotations, id, (c) => c.id);
  }
  messages({ id }: { id?: string }) {
    const messages = this.content.messages.map((m: MessageRecord) => ({
      id: typedId('Commentaire', m.id),
      email: m.email,
      body: m.body,
      createdAt: m.createdAt,
      discardedAt: null,
      correction: null,
      attachments: files(this.ctx, m.attachments),
      // Deprecated in DS for `attachments`: the first one.
      attachment: files(this.ctx, m.attachments)[0] ?? null,
    }));
    return byTypedId(messages, id, (m) => m.id);
  }
  avis({ id }: { id?: string }) {
    const avis = this.content.avis.map((a: AvisRecord) => ({
      id: typedId('Avis', a.id),
      question: a.question,
      questionLabel: null,
      questionAnswer: null,
      reponse: a.answer,
      dateQuestion: a.askedAt,
      dateReponse: a.answeredAt,
      claimant: profile('Instructeur', a.claimant),
      expert: profile('User', a.expert),
      attachments: files(this.ctx, a.attachments),
      attachment: files(this.ctx, a.attachments)[0] ?? null,
    }));
    return byTypedId(avis, id, (a) => a.id);
  }
}

interface DossiersArgs extends ConnectionArgs {
  state?: DossierState | null;
  archived?: boolean | null;
  revision?: string | null;
  createdSince?: Date | null;
  updatedSince?: Date | null;
}

interface DeletedArgs extends ConnectionArgs {
  deletedSince?: Date | null;
}

/** `Demarche#dossiers`: visible dossiers, by deposit date (by `updated_at` with `updatedSince`). */
function dossiersConnection(ctx: ApiContext, demarche: Demarche, args: DossiersArgs): Connection<DossierNode> {
  const since = args.updatedSince ?? args.createdSince ?? null;
  const byUpdate = !!args.updatedSince;
  const revision = args.revision ? decodeTypedId(args.revision) : null;
  const dossiers = ctx.app.store
    .dossiersOf(demarche.number)
    .filter(
      (d) =>
        isVisibleByAdministration(d) &&
        (!args.state || d.state === args.state) &&
        (args.archived == null || d.archived === args.archived) &&
        (revision === null || revision === String(demarche.revision.id)) &&
        (!since || (byUpdate ? d.updatedAt : d.deposeAt) >= since),
    );
  const page = paginate(dossiers, (d) => ({ at: byUpdate ? d.updatedAt : d.deposeAt, id: d.number }), args);
  return mapConnection(page, (d) => new DossierNode(ctx, d));
}

const deletedNode = (d: DeletedDossier) => ({
  id: typedId('DeletedDossier', d.number),
  number: d.number,
  state: d.state,
  reason: d.reason,
  dateSupression: d.deletedAt,
});

/** `Demarche#deletedDossiers`: purged dossiers, by deletion date. */
function deletedConnection(ctx: ApiContext, demarche: Demarche, args: DeletedArgs) {
  const since = args.deletedSince;
  const deleted = ctx.app.store.deletedOf(demarche.number).filter((d) => !since || d.deletedAt >= since);
  return mapConnection(
    paginate(deleted, (d) => ({ at: d.deletedAt, id: d.number }), args),
    deletedNode,
  );
}

/** `Demarche#pendingDeletedDossiers`: dossiers hidden by the administration (or en construction by their user). */
function pendingDeletedConnection(ctx: ApiContext, demarche: Demarche, args: DeletedArgs) {
  const since = args.deletedSince;
  const hiddenAt = (d: Dossier) => (d.state === 'en_construction' ? d.hiddenByUserAt : d.hiddenByAdministrationAt);
  const pending = ctx.app.store
    .dossiersOf(demarche.number)
    .filter(
      (d) =>
        isPendingDeletion(d) &&
        (!since || (d.hiddenByUserAt ?? 0) >= since || (d.hiddenByAdministrationAt ?? 0) >= since),
    );
  return mapConnection(
    paginate(pending, (d) => ({ at: hiddenAt(d) ?? d.updatedAt, id: d.number }), args),
    (d) =>
      deletedNode({
        number: d.number,
        demarche: d.demarche,
        state: d.state,
        reason: d.hiddenReason ?? 'instructeur_request',
        deletedAt: (d.hiddenByAdministrationAt ?? d.hiddenByUserAt)!,
      }),
  );
}

function mapConnection<T, U>(page: Connection<T>, map: (item: T) => U): Connection<U> {
  const edges = page.edges.map((e) => ({ cursor: e.cursor, node: map(e.node) }));
  return { edges, nodes: edges.map((e) => e.node), pageInfo: page.pageInfo };
}

class DemarcheNode {
  constructor(
    private readonly ctx: ApiContext,
    private readonly demarche: Demarche,
  ) {}
  get id() {
    return typedId('Procedure', this.demarche.number);
  }
  get number() {
    return this.demarche.number;
  }
  get title() {
    return this.demarche.title;
  }
  get description() {
    return this.demarche.description;
  }
  get state() {
    return this.demarche.state;
  }
  readonly declarative = null;
  readonly chorusConfiguration = { centreDeCout: null, domaineFonctionnel: null, referentielDeProgrammation: null };
  get dateCreation() {
    return this.demarche.createdAt;
  }
  get datePublication() {
    return this.demarche.publishedAt;
  }
  get dateDerniereModification() {
    return this.demarche.updatedAt;
  }
  readonly dateDepublication = null;
  get dateFermeture() {
    return this.demarche.closedAt;
  }
  get service() {
    return serviceOf(this.demarche);
  }
  groupeInstructeurs({ closed }: { closed?: boolean | null }) {
    return closed ? [] : [new GroupeInstructeurNode(this.ctx, this.demarche)];
  }
  get activeRevision() {
    return new RevisionNode(this.demarche);
  }
  get draftRevision() {
    return new RevisionNode(this.demarche);
  }
  get publishedRevision() {
    return new RevisionNode(this.demarche);
  }
  get revisions() {
    return [new RevisionNode(this.demarche)];
  }
  get champDescriptors() {
    return this.activeRevision.champDescriptors;
  }
  get annotationDescriptors() {
    return this.activeRevision.annotationDescriptors;
  }
  dossiers(args: DossiersArgs) {
    return dossiersConnection(this.ctx, this.demarche, args);
  }
  deletedDossiers(args: DeletedArgs) {
    return deletedConnection(this.ctx, this.demarche, args);
  }
  pendingDeletedDossiers(args: DeletedArgs) {
    return pendingDeletedConnection(this.ctx, this.demarche, args);
  }
}

class GroupeInstructeurWithDossiersNode extends GroupeInstructeurNode {
  dossiers(args: DossiersArgs) {
    return dossiersConnection(this.ctx, this.demarche, args);
  }
  deletedDossiers(args: DeletedArgs) {
    return deletedConnection(this.ctx, this.demarche, args);
  }
  pendingDeletedDossiers(args: DeletedArgs) {
    return pendingDeletedConnection(this.ctx, this.demarche, args);
  }
}

class DemarcheDescriptorNode {
  constructor(
    private readonly ctx: ApiContext,
    private readonly demarche: Demarche,
  ) {}
  get id() {
    return typedId('Procedure', this.demarche.number);
  }
  get number() {
    return this.demarche.number;
  }
  get title() {
    return this.demarche.title;
  }
  get description() {
    return this.demarche.description;
  }
  get state() {
    return this.demarche.state;
  }
  readonly declarative = null;
  get dateCreation() {
    return this.demarche.createdAt;
  }
  get datePublication() {
    return this.demarche.publishedAt;
  }
  get dateDerniereModification() {
    return this.demarche.updatedAt;
  }
  readonly dateDepublication = null;
  get dateFermeture() {
    return this.demarche.closedAt;
  }
  readonly notice = null;
  readonly deliberation = null;
  get demarcheURL() {
    return `${this.ctx.origin}/commencer/${this.demarche.path}`;
  }
  readonly cadreJuridiqueURL = 'https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006070633';
  /** Months (`duree_conservation_dossiers_dans_ds`): the only place the API exposes retention. */
  get dureeConservationDossiers() {
    return this.demarche.dureeConservationMonths;
  }
  readonly opendata = false;
  get revision() {
    return new RevisionNode(this.demarche);
  }
  get service() {
    return serviceOf(this.demarche);
  }
}

/** The Query type's fields. */
export const rootValue = {
  demarche({ number }: { number: number }, ctx: ApiContext) {
    const demarche = ctx.app.store.demarche(number);
    if (!demarche) throw notFound('Demarche');
    authorize(ctx, demarche, 'Demarche');
    return new DemarcheNode(ctx, demarche);
  },
  dossier({ number }: { number: number }, ctx: ApiContext) {
    const dossier = ctx.app.store.dossier(number);
    if (!dossier || !isVisibleByAdministration(dossier)) throw notFound('Dossier');
    authorize(ctx, ctx.app.demarcheOf(dossier), 'Dossier');
    return new DossierNode(ctx, dossier);
  },
  groupeInstructeur({ number }: { number: number }, ctx: ApiContext) {
    const demarche = ctx.app.store.demarches.find((d) => d.groupe.number === number);
    if (!demarche) throw notFound('GroupeInstructeurWithDossiers');
    authorize(ctx, demarche, 'GroupeInstructeurWithDossiers');
    return new GroupeInstructeurWithDossiersNode(ctx, demarche);
  },
  demarcheDescriptor({ demarche: find }: { demarche: { id?: string; number?: number } }, ctx: ApiContext) {
    const number = find.number ?? Number(decodeTypedId(find.id ?? ''));
    const demarche = ctx.app.store.demarche(number);
    if (!demarche) throw notFound('DemarcheDescriptor');
    authorize(ctx, demarche, 'DemarcheDescriptor');
    return new DemarcheDescriptorNode(ctx, demarche);
  },
};
