import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

/** Attributes that tie a form control to its label, hint and error. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

interface FieldProps {
  label: ReactNode;
  /** Help shown under the label, e.g. "At least 10 characters." */
  hint?: ReactNode;
  /** Error shown under the control, which is then marked invalid. */
  error?: string;
  /** Fixed id for the control. Without it a generated id is used. */
  id?: string;
  children: (control: ControlProps) => ReactNode;
}

/**
 * Renders a labelled form control: the label, an optional hint and error, and hands the
 * control the id and ARIA attributes that link them.
 */
export function Field({ label, hint, error, id, children }: FieldProps) {
  const generatedId = useId();
  const controlId = id ?? generatedId;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;

  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={controlId}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children({
        id: controlId,
        'aria-describedby': describedBy,
        ...(error ? { 'aria-invalid': true as const } : {}),
      })}
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

type Shared = Omit<FieldProps, 'children'>;

export function TextField({
  label,
  hint,
  error,
  id,
  ...input
}: Shared & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>) {
  return (
    <Field label={label} hint={hint} error={error} id={id}>
      {(control) => <input className="input" {...input} {...control} />}
    </Field>
  );
}

export function SelectField({
  label,
  hint,
  error,
  id,
  children,
  ...select
}: Shared & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'>) {
  return (
    <Field label={label} hint={hint} error={error} id={id}>
      {(control) => (
        <select className="input" {...select} {...control}>
          {children}
        </select>
      )}
    </Field>
  );
}

export function TextAreaField({
  label,
  hint,
  error,
  id,
  ...textarea
}: Shared & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>) {
  return (
    <Field label={label} hint={hint} error={error} id={id}>
      {(control) => <textarea className="input" {...textarea} {...control} />}
    </Field>
  );
}
