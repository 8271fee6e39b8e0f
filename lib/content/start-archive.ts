import type { ArchiveSelection } from '@/lib/core/archive/selection';
import { type ResponseOf, sendMessage } from '@/lib/platform/messages';

/**
 * How a DS page starts a bulk archive (the banner's button, the menu beside DS's downloads): the
 * background checks the selection, makes the job and opens the export page on it. Features take it
 * as a parameter, so that their tests answer for the background.
 */
export type StartArchive = (selection: ArchiveSelection) => Promise<ResponseOf<'archive-start'>>;

export const backgroundStartArchive: StartArchive = (selection) => sendMessage('archive-start', selection);
