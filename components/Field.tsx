import type { ComponentChildren } from 'preact';

/**
 * A DSFR form field: a visible `<label for>`, an optional hint and error, both tied to the control
 * through `aria-describedby`.
 */
interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string | null;
  kind?: 'input' | 'select';
  children: (control: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ComponentChildren;
}

export function Field({ id, label, hint, error, kind = 'input', children }: FieldProps) {
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  const group = kind === 'select' ? 'fr-select-group' : 'fr-input-group';
  return (
    <div class={error ? `${group} ${group}--error` : group}>
      <label class="fr-label" for={id}>
        {label}
      </label>
      {hint && (
        <p class="fr-hint-text" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({ id, 'aria-describedby': described || undefined, 'aria-invalid': error ? true : undefined })}
      {error && (
        <p class="fr-error-text" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
