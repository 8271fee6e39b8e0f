import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { sendMessage } from '@/lib/messages';

export function Popup() {
  const version = useSignal<string | null>(null);
  useEffect(() => {
    sendMessage('ping', {}).then((r) => {
      version.value = r.version;
    });
  }, []);
  return (
    <main>
      <h1>Archiviste</h1>
      <p data-testid="status">{version.value ? `Version ${version.value}` : '…'}</p>
    </main>
  );
}
