import type { DemarcheBannerView } from '@/lib/view/page-fates';
import { fixtureDocument, PAGES, type PageName } from '../fixtures/pages';

/** What the page features' tests share: a fixture page opened as the content script finds it, and the background's view. */

/** Puts a fixture in the test window, at its DS URL, as the content script finds it. */
export function openPage(name: PageName): void {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(PAGES[name].url);
  const page = fixtureDocument(name);
  for (const script of page.querySelectorAll('script')) script.remove();
  document.head.replaceWith(document.importNode(page.head, true));
  document.body.replaceWith(document.importNode(page.body, true));
}

/** A démarche's banner as the background sends it: 12 threatened, 9 not saved, unless `changes` says otherwise. */
export function bannerView(number: number, changes: Partial<DemarcheBannerView> = {}): DemarcheBannerView {
  return {
    number,
    threatened: 12,
    atRisk: 9,
    text: '12 dossiers supprimés d’ici 30 jours, dont 9 non sauvegardés — le premier le 04/12',
    cardText: '9 à sauvegarder d’ici 30 j',
    weeks: [],
    title: 'Archiviste',
    chartLabel: 'Suppressions par semaine, sur 13 semaines',
    chartColumns: ['Semaine', 'Dossiers', 'Non sauvegardés'],
    legend: { unsaved: 'Non sauvegardés', saved: 'Sauvegardés' },
    expirantUrl: `https://demarche.numerique.gouv.fr/procedures/${number}/expirant`,
    expirantLink: 'Voir les dossiers expirants',
    save: {
      label: 'Sauvegarder ces 9 dossiers',
      busy: 'Sauvegarde en cours…',
      opened: 'L’archive s’est ouverte dans un nouvel onglet.',
      failed: 'La sauvegarde a échoué : rechargez la page et recommencez.',
    },
    ...changes,
  };
}
