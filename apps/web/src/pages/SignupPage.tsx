import type { FormEvent } from 'react';
import { Link, Navigate, useNavigate } from 'react-router-dom';

import { Alert, TextField } from '@ts/ui';

import { describeError, fieldError } from '../errors.ts';
import { usePageTitle } from '../page-title.ts';
import { useMe, useSessionChange } from '../session.tsx';
import { trpc } from '../trpc.ts';

const minPasswordLength = 10;

export function SignupPage() {
  usePageTitle('Sign up');
  const me = useMe();
  const navigate = useNavigate();
  const changeSession = useSessionChange();
  const signUp = trpc.auth.signUp.useMutation({
    onSuccess: (user) => {
      changeSession(user);
      void navigate('/tickets', { replace: true });
    },
  });

  if (me.data && !signUp.isSuccess) {
    return <Navigate to="/tickets" replace />;
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const homeCity = String(form.get('homeCity') ?? '').trim();
    signUp.mutate({
      email: String(form.get('email')),
      password: String(form.get('password')),
      displayName: String(form.get('displayName')),
      ...(homeCity ? { homeCity } : {}),
    });
  }

  const error = signUp.error ? describeError(signUp.error) : null;

  return (
    <div className="page--narrow">
      <h1>Sign up</h1>
      {error ? <Alert tone="error">{error.message}</Alert> : null}
      <form className="form panel" onSubmit={submit}>
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={fieldError(error, 'email')}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={minPasswordLength}
          required
          hint={`At least ${minPasswordLength} characters.`}
          error={fieldError(error, 'password')}
        />
        <TextField
          label="Display name"
          name="displayName"
          autoComplete="nickname"
          maxLength={80}
          required
          hint="Other traders see this name on proposals."
          error={fieldError(error, 'displayName')}
        />
        <TextField
          label="Home city"
          name="homeCity"
          autoComplete="address-level2"
          maxLength={80}
          hint="Optional. Listings near it are suggested first."
          error={fieldError(error, 'homeCity')}
        />
        <div className="button-row">
          <button type="submit" className="button" disabled={signUp.isPending}>
            Sign up
          </button>
        </div>
      </form>
      <p>
        Already have an account? <Link to="/login">Log in</Link>.
      </p>
    </div>
  );
}
