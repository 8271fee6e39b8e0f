/**
 * The instance's records and the daily jobs' bookkeeping. Dossiers are indexed by number and by
 * démarche; the jobs a clock move (or the passing time) crossed are replayed lazily, before any
 * request is answered, so every page and API answer reflects "now".
 */
import type { RuleSet } from '../rules/expiry';
import { type JobTarget, runJobsBetween } from '../rules/jobs';
import type { DeletedDossier, DeletionReason, Demarche, Dossier } from './model';

export class DemoStore {
  private readonly byNumber = new Map<number, Dossier>();
  private readonly byDemarche = new Map<number, Map<number, Dossier>>();
  private readonly deleted = new Map<number, DeletedDossier[]>();
  private readonly jobTarget: JobTarget;

  /** `rules`: DS's expiry rules the instance runs; `jobsRanUntil`: the jobs scheduled up to this instant have run. */
  constructor(
    readonly demarches: readonly Demarche[],
    dossiers: Iterable<Dossier>,
    private jobsRanUntil: Date,
    readonly rules: RuleSet,
  ) {
    for (const demarche of demarches) {
      this.byDemarche.set(demarche.number, new Map());
      this.deleted.set(demarche.number, []);
    }
    for (const dossier of dossiers) this.add(dossier);
    this.jobTarget = {
      rules,
      dossiers: () => this.byNumber.values(),
      demarche: (number) => this.demarcheOrThrow(number),
      purge: (dossier, reason, at) => this.purge(dossier, reason, at),
    };
  }

  demarche(number: number): Demarche | undefined {
    return this.demarches.find((d) => d.number === number);
  }

  demarcheOrThrow(number: number): Demarche {
    const demarche = this.demarche(number);
    if (!demarche) throw new Error(`No démarche ${number}`);
    return demarche;
  }

  dossier(number: number): Dossier | undefined {
    return this.byNumber.get(number);
  }

  /** Every dossier of the démarche still in the database (hidden ones included). */
  dossiersOf(demarche: number): Dossier[] {
    return [...(this.byDemarche.get(demarche)?.values() ?? [])];
  }

  allDossiers(): Dossier[] {
    return [...this.byNumber.values()];
  }

  deletedOf(demarche: number): readonly DeletedDossier[] {
    return this.deleted.get(demarche) ?? [];
  }

  add(dossier: Dossier): void {
    const list = this.byDemarche.get(dossier.demarche);
    if (!list) throw new Error(`No démarche ${dossier.demarche}`);
    if (this.byNumber.has(dossier.number)) throw new Error(`Dossier ${dossier.number} already exists`);
    this.byNumber.set(dossier.number, dossier);
    list.set(dossier.number, dossier);
  }

  /** A number above every existing and purged dossier, as DS's sequence gives. */
  nextNumber(): number {
    let max = 0;
    for (const number of this.byNumber.keys()) max = Math.max(max, number);
    for (const list of this.deleted.values()) for (const d of list) max = Math.max(max, d.number);
    return max + 1;
  }

  /** `purge_discarded`: the dossier and its files are destroyed; a `deleted_dossiers` row remains. */
  purge(dossier: Dossier, reason: DeletionReason, deletedAt: Date): void {
    this.byNumber.delete(dossier.number);
    this.byDemarche.get(dossier.demarche)?.delete(dossier.number);
    this.deleted.get(dossier.demarche)?.push({
      number: dossier.number,
      demarche: dossier.demarche,
      state: dossier.state,
      reason,
      deletedAt,
    });
  }

  /** Replays the daily jobs scheduled since the last call, up to `now` (never backwards). */
  runJobsUntil(now: Date): void {
    if (now <= this.jobsRanUntil) return;
    runJobsBetween(this.jobTarget, this.jobsRanUntil, now);
    this.jobsRanUntil = now;
  }
}
