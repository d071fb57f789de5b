import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiError } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads on mount and whenever `deps` change; `reload` repeats it (after a write). */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** A write with its own pending flag and error; resolves true when it succeeded. */
export function useAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (action: () => Promise<unknown>): Promise<boolean> => {
    setPending(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setPending(false);
    }
  }, []);
  return { pending, error, run, clear: () => setError(null) };
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="state" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

/** The error envelope as a sentence, with its code and request id (what support asks for). */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  return (
    <div className="error" role="alert">
      <p>
        <strong>{api ? api.message : 'Something went wrong.'}</strong>
      </p>
      {api && api.details.length > 0 && (
        <ul>
          {api.details.map((detail, index) => (
            <li key={index}>{detail.field ? `${detail.field}: ${detail.message}` : detail.message}</li>
          ))}
        </ul>
      )}
      {api && (
        <p className="meta">
          {api.code}
          {api.status ? ` (HTTP ${api.status})` : ''}
          {api.requestId && (
            <>
              {' · Request ID '}
              <code>{api.requestId}</code>
            </>
          )}
        </p>
      )}
    </div>
  );
}

/** Loading, error and empty states around a loaded value. */
export function AsyncView<T>({
  state,
  children,
  isEmpty,
  empty,
}: {
  state: Loaded<T>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
}) {
  if (state.error) return <ErrorMessage error={state.error} />;
  if (state.data === undefined) return <Loading />;
  if (isEmpty?.(state.data)) return <Empty>{empty ?? 'Nothing here yet.'}</Empty>;
  return <>{children(state.data)}</>;
}

/** A labelled input whose error is tied to it (aria-invalid + aria-describedby). */
export function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string;
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      )}
    </div>
  );
}

/** The options of a filter `<select>`: "Any" (the empty value), then each value, in lowercase. */
export function FilterOptions({ values }: { values: readonly string[] }) {
  return (
    <>
      <option value="">Any</option>
      {values.map((value) => (
        <option key={value} value={value}>
          {value.toLowerCase()}
        </option>
      ))}
    </>
  );
}

export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(field) : undefined;
}

/**
 * A confirmation in a native modal <dialog> (focus moves in and returns on close; Escape cancels).
 * With `reason`, it asks for one and passes it on.
 */
export function ConfirmDialog({
  title,
  description,
  confirmLabel,
  reason,
  danger,
  onConfirm,
  onClose,
}: {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  reason?: boolean;
  danger?: boolean;
  onConfirm: (reason: string) => Promise<boolean>;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);
  return (
    // StrictMode (development) mounts twice: the first unmount's close event arrives once it is open again.
    <dialog ref={dialog} aria-labelledby={titleId} onClose={() => dialog.current?.open || onClose()} className="dialog">
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          const done = await onConfirm(text.trim());
          setBusy(false);
          if (done) dialog.current?.close();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <div>{description}</div>
        {reason && (
          <Field label="Reason (recorded in the audit trail)">
            {(props) => <textarea {...props} required autoFocus value={text} onChange={(event) => setText(event.target.value)} rows={3} maxLength={500} />}
          </Field>
        )}
        <div className="actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className={danger ? 'danger' : 'primary'} disabled={busy}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A secret shown once, with a copy button; the page never keeps it anywhere else. */
export function SecretOnce({ secret, label = 'Secret key' }: { secret: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const id = useId();
  return (
    <div className="secret" role="region" aria-labelledby={id}>
      <p id={id}>
        <strong>{label}: shown once.</strong> Copy it now; it cannot be shown again.
      </p>
      <code data-testid="secret">{secret}</code>{' '}
      <button
        type="button"
        onClick={async () => {
          await navigator.clipboard?.writeText(secret).catch(() => undefined);
          setCopied(true);
        }}
      >
        Copy
      </button>
      <span aria-live="polite">{copied ? ' Copied.' : ''}</span>
    </div>
  );
}

export function formatDate(value: string | null | undefined): string {
  return value ? new Date(value).toLocaleString() : '—';
}

export function formatPrice(cents: number): string {
  return (cents / 100).toFixed(2);
}
