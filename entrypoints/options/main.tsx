import { mount } from '@/components/mount';
import { Options } from '@/components/options/Options';

void mount(Options, 'options_page_title');
