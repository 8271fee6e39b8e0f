import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  describeMissing,
  INVENTORY_HEADER,
  type InventoryEntry,
  inventoryCsv,
  inventorySummary,
  isComplete,
} from '@/lib/export/inventory';

const verified: InventoryEntry = {
  path: 'dossier-1/pieces_justificatives/a-12-01-2026-09-14.pdf',
  size: 1234,
  md5: '1B2M2Y8AsgTpgAmY7PhCfg==',
  source: 'API',
  status: 'vérifié',
};
const computed: InventoryEntry = {
  path: 'dossier-1/export-1-15-01-2026-10-00-1.pdf',
  size: 99,
  md5: 'abc=',
  source: 'API',
  status: 'calculé',
};
const missing = (reason: InventoryEntry['reason']): InventoryEntry => ({
  path: 'dossier-1/messagerie/b.pdf',
  size: 5000,
  md5: 'def=',
  source: 'API',
  status: 'manquant',
  reason,
});

describe('inventory', () => {
  it('says why a file is missing, in French', () => {
    expect(describeMissing({ kind: 'http', status: 500 })).toBe('erreur HTTP 500');
    expect(describeMissing({ kind: 'http', status: 404 })).toBe('erreur HTTP 404 (fichier introuvable)');
    expect(describeMissing({ kind: 'checksum', expected: 'a', actual: 'b' })).toBe('somme de contrôle différente');
    expect(describeMissing({ kind: 'truncated', received: 2500, expected: 5000 })).toBe(
      'fichier tronqué (2 500 octets sur 5 000 octets)',
    );
    expect(describeMissing({ kind: 'truncated', received: 10, expected: null })).toBe(
      'fichier tronqué (10 octets reçus)',
    );
    expect(describeMissing({ kind: 'size', received: 6, expected: 5 })).toBe(
      'taille différente (6 octets au lieu de 5 octets)',
    );
    expect(describeMissing({ kind: 'expired' })).toBe('lien expiré');
    expect(describeMissing({ kind: 'network' })).toBe('erreur réseau');
  });

  it('is complete only without missing files', () => {
    expect(isComplete([verified, computed])).toBe(true);
    expect(inventorySummary([verified, computed])).toBe('complet');
    const one = [verified, missing({ kind: 'expired' })];
    expect(isComplete(one)).toBe(false);
    expect(inventorySummary(one)).toBe('incomplet (1 fichier)');
    const two = [...one, missing({ kind: 'checksum', expected: 'a', actual: 'b' })];
    expect(inventorySummary(two)).toBe('incomplet (2 fichiers)');
  });

  it('neutralises an MD5 that starts with + (spreadsheets would take it for a formula)', () => {
    const text = inventoryCsv([{ ...verified, md5: '+s3sviW+DXuf4Co0ctaHfg==' }]);
    expect(text.split('\r\n')[1]).toContain(";'+s3sviW+DXuf4Co0ctaHfg==;");
  });

  it('writes one row per file with its status and reason', () => {
    const text = inventoryCsv([verified, computed, missing({ kind: 'truncated', received: 1, expected: 2 })]);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = Papa.parse<string[]>(text.slice(1), { delimiter: ';', skipEmptyLines: true }).data;
    expect(rows[0]).toEqual([...INVENTORY_HEADER]);
    expect(rows.slice(1)).toEqual([
      [verified.path, '1234', verified.md5, 'API', 'vérifié', '', ''],
      [computed.path, '99', 'abc=', 'API', 'calculé', '', ''],
      ['dossier-1/messagerie/b.pdf', '5000', 'def=', 'API', 'manquant', 'fichier tronqué (1 octets sur 2 octets)', ''],
    ]);
  });

  it('keeps each file’s name as DS gave it beside its safe path, as text a spreadsheet will not run', () => {
    const names = [
      '../../evil.pdf',
      'C:\\Windows\\x.pdf',
      '=HYPERLINK("https://evil.example")',
      'fac\u200Bture\u202Efdp.exe',
    ];
    const text = inventoryCsv(names.map((originalName) => ({ ...verified, originalName })));
    const rows = Papa.parse<string[]>(text.slice(1), { delimiter: ';', skipEmptyLines: true }).data;
    expect(rows.slice(1).map((row) => row[6])).toEqual([names[0], names[1], `'${names[2]}`, names[3]]);
  });
});
