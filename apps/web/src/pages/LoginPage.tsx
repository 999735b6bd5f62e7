import type { FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';

import { Alert, TextField } from '@ts/ui';

import { describeError } from '../errors.ts';
import { usePageTitle } from '../page-title.ts';
import { useMe, useSessionChange, type LoginRedirectState } from '../session.tsx';
import { trpc } from '../trpc.ts';

export function LoginPage() {
  usePageTitle('Log in');
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const changeSession = useSessionChange();
  const target = (location.state as LoginRedirectState | null)?.from ?? '/tickets';
  const logIn = trpc.auth.logIn.useMutation({
    onSuccess: (user) => {
      changeSession(user);
      void navigate(target, { replace: true });
    },
  });

  if (me.data && !logIn.isSuccess) {
    return <Navigate to={target} replace />;
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    logIn.mutate({ email: String(form.get('email')), password: String(form.get('password')) });
  }

  const error = logIn.error ? describeError(logIn.error) : null;

  return (
    <div className="page--narrow">
      <h1>Log in</h1>
      {error ? <Alert tone="error">{error.message}</Alert> : null}
      <form className="form panel" onSubmit={submit}>
        <TextField label="Email" name="email" type="email" autoComplete="email" required />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <div className="button-row">
          <button type="submit" className="button" disabled={logIn.isPending}>
            Log in
          </button>
        </div>
      </form>
      <p>
        New here? <Link to="/signup">Create an account</Link>.
      </p>
    </div>
  );
}
