/**
 * The dossier's downloadable renderings, laid out as DS does: the PDF "export" of a dossier
 * (dossiers/show.pdf.prawn: header, history, identity, form, annotations, avis, messagerie) and the
 * ZIP entries of `telecharger_pjs` and of the procedure ZIP export
 * (`PiecesJustificativesService`, `ActiveStorage::DownloadableFile.timestamped_filename`).
 */
import type { ChampValue, DossierContent, StoredFile } from '../data/content';
import { type Demarche, type Dossier, ownerName } from '../data/model';
import { displayValue, expiresAtText } from '../pages/dossier';
import { stateLabel } from '../pages/format';
import { isExpirable, type RuleSet } from '../rules/expiry';
import { fileNameStamp, frenchDateTime } from '../time';
import { type ByteSource, type PdfLine, pdfDocument } from './pdf';
import type { ZipEntry } from './zip';

function champLines(champs: readonly ChampValue[], indent = ''): PdfLine[] {
  return champs.flatMap((champ): PdfLine[] => {
    const { descriptor } = champ;
    if (descriptor.type === 'header_section') return [{ text: descriptor.label, bold: true, gap: 6 }];
    if (descriptor.type === 'explication') return [];
    if (descriptor.type === 'repetition') {
      return [
        { text: `${indent}${descriptor.label}`, bold: true },
        ...champ.rows.flatMap((row, i) => [
          { text: `${indent}  Ligne ${i + 1}` },
          ...champLines(row.champs, `${indent}    `),
        ]),
      ];
    }
    // Attachments appear by file name only, as in DS's PDF.
    const value =
      descriptor.type === 'piece_justificative'
        ? champ.files.map((f) => `- ${f.filename}`).join(' ')
        : displayValue(champ);
    return [{ text: `${indent}${descriptor.label} : ${value}` }];
  });
}

/** The dossier PDF as an instructeur gets it (`.pdf` route, API `pdf`, `export-<n>.pdf` in ZIPs). */
export function dossierPdf(dossier: Dossier, demarche: Demarche, content: DossierContent, rules: RuleSet): ByteSource {
  const section = (title: string): PdfLine => ({ text: title, size: 13, bold: true, gap: 12 });
  const lines: PdfLine[] = [
    { text: `Dossier n° ${dossier.number}`, size: 18, bold: true },
    { text: `Démarche : ${demarche.title}`, gap: 6 },
    { text: `Organisme : ${demarche.service.organisme}` },
    { text: `État du dossier : ${stateLabel(dossier.state)}` },
    ...(dossier.motivation ? [{ text: `Motif de la décision : ${dossier.motivation}` }] : []),
    ...(isExpirable(dossier, demarche, rules) && dossier.expiredAt ? [{ text: expiresAtText(dossier, demarche) }] : []),
    section('Historique'),
    { text: `Déposé le : ${frenchDateTime(dossier.deposeAt)}` },
    ...(dossier.enInstructionAt ? [{ text: `En instruction le : ${frenchDateTime(dossier.enInstructionAt)}` }] : []),
    ...(dossier.processedAt ? [{ text: `Décision le : ${frenchDateTime(dossier.processedAt)}` }] : []),
    section('Identité du demandeur'),
    { text: `Adresse électronique : ${dossier.usagerEmail}` },
    { text: `Demandeur : ${ownerName(dossier.demandeur)}` },
    section('Formulaire'),
    ...champLines(content.champs),
    section('Annotations privées'),
    ...champLines(content.annotations),
    section('Avis'),
    ...content.avis.flatMap((a) => [
      { text: `Question : ${a.question}` },
      { text: `Réponse : ${a.answer ?? 'en attente'}` },
    ]),
    section('Messagerie'),
    ...content.messages.map((m) => ({ text: `${frenchDateTime(m.createdAt)} – ${m.email} : ${m.body}` })),
  ];
  return pdfDocument(lines, { title: `Dossier n° ${dossier.number}` });
}

const FOLDERS: Record<StoredFile['folder'], string> = {
  pieces_justificatives: 'pieces_justificatives/',
  messagerie: 'messagerie/',
  avis: 'avis/',
  dossier: 'dossier/',
};

/** `<basename>-<dd-mm-YYYY-HH-MM>-<id % 10000><ext>`. */
function timestampedName(filename: string, createdAt: Date, id: number): string {
  const dot = filename.lastIndexOf('.');
  const [base, ext] = dot > 0 ? [filename.slice(0, dot), filename.slice(dot)] : [filename, ''];
  return `${base}-${fileNameStamp(createdAt)}-${id % 10000}${ext}`;
}

/**
 * The entries of one dossier: `dossier-<n>/export-<n>-<stamp>-<n%10000>.pdf`, then every attachment
 * in its folder. `root` is `export/` in procedure-wide ZIP exports.
 */
export function dossierZipEntries(
  dossier: Dossier,
  demarche: Demarche,
  content: DossierContent,
  rules: RuleSet,
  root = '',
): ZipEntry[] {
  const folder = `${root}dossier-${dossier.number}/`;
  const pdf = dossierPdf(dossier, demarche, content, rules);
  return [
    {
      name: `${folder}${timestampedName(`export-${dossier.number}.pdf`, dossier.updatedAt, dossier.number)}`,
      modifiedAt: dossier.updatedAt,
      data: () => pdf.chunks(),
    },
    ...content.files.map((file) => ({
      name: `${folder}${FOLDERS[file.folder]}${timestampedName(file.filename, file.createdAt, file.id)}`,
      modifiedAt: file.createdAt,
      data: () => file.source.chunks(),
    })),
  ];
}
