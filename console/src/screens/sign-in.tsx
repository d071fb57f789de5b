import { useState } from 'react';
import { api, rememberRefreshToken, unwrap } from '../api';
import { ErrorMessage, Field, fieldError, useAction } from '../ui';

/** Email and password; the answer's tokens are not kept except the refresh token, in memory. */
export function SignIn({ onSignedIn, notice }: { onSignedIn: () => Promise<void>; notice?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  return (
    <main className="sign-in" id="main">
      <h1>Tenant Platform console</h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form
        aria-label="Sign in"
        onSubmit={async (event) => {
          event.preventDefault();
          await action.run(async () => {
            const session = await unwrap(api.POST('/api/v1/auth/login', { body: { email, password } }));
            rememberRefreshToken(session.refreshToken);
            await onSignedIn();
          });
        }}
      >
        <h2>Sign in</h2>
        <Field label="Email" error={fieldError(action.error, 'email')}>
          {(props) => <input {...props} type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />}
        </Field>
        <Field label="Password" error={fieldError(action.error, 'password')}>
          {(props) => (
            <input {...props} type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
          )}
        </Field>
        <ErrorMessage error={action.error} />
        <button type="submit" className="primary" disabled={action.pending}>
          {action.pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="hint">
        No account yet? Sign up through the API (<code>POST /api/v1/auth/signup</code>), then sign in here.
      </p>
    </main>
  );
}
