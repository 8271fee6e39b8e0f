import { ArchivePage } from '@/components/archive/ArchivePage';
import { mount } from '@/components/mount';

void mount(ArchivePage, 'archive_page_title');
