import { defineFeature } from '@/lib/content/feature';
import { reportPage } from '@/lib/content/report-page';
import { dossierHeaderProblem, listColumnsProblem } from '@/lib/ds/recognise';
import { now } from '@/lib/platform/clock';
import { sendMessage } from '@/lib/platform/messages';

/** Token-less mode: tells the background what each DS page shows, and again when DS updates it. */
export const reportPageFeature = defineFeature({
  id: 'report-page',
  include: (route) => route.kind !== 'other',
  // What it reads: a list's rows and the columns DS always shows, a dossier's header and state.
  recognise: ({ document, route }) =>
    route.kind === 'dossier-list'
      ? listColumnsProblem(document)
      : route.kind === 'dossier'
        ? dossierHeaderProblem(document)
        : null,
  init: ({ document, signal }) => {
    reportPage({
      document,
      url: () => document.location.href,
      signal,
      now,
      send: (report) => sendMessage('page-report', report),
    });
    return undefined;
  },
});

/*
Test URLs:
https://demarche.numerique.gouv.fr/procedures
https://demarche.numerique.gouv.fr/procedures/104532/tous?page=2
https://demarche.numerique.gouv.fr/procedures/104532/suivis/dossiers/2351204/messagerie
*/
