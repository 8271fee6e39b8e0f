import { mount } from '@/components/mount';
import { Popup } from '@/components/popup/Popup';

void mount(Popup, 'popup_page_title');
