import { useState } from 'react';
import {
  Button,
  Form,
  Login,
  TextInput,
  useLogin,
  useNotify,
} from 'react-admin';

/**
 * Sign-in form with "Email" and "Password" fields. react-admin's own form labels the first field
 * "Username", and the API signs staff in by email.
 */
export function LoginPage() {
  const login = useLogin();
  const notify = useNotify();
  const [submitting, setSubmitting] = useState(false);

  async function signIn(values: Record<string, unknown>) {
    setSubmitting(true);
    try {
      await login({ email: values.email, password: values.password });
    } catch (error) {
      const message = error instanceof Error ? error.message : 'Sign-in failed.';
      notify(message, { type: 'error' });
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <Login>
      <Form onSubmit={signIn} noValidate>
        <div style={{ padding: '0 1em 1em 1em' }}>
          <TextInput
            source="email"
            label="Email"
            type="email"
            autoComplete="username"
            autoFocus
          />
          {/* A plain password input: PasswordInput's "Show password" toggle would also match the
              label "Password" in accessibility queries. */}
          <TextInput
            source="password"
            label="Password"
            type="password"
            autoComplete="current-password"
          />
          <Button
            type="submit"
            label="Sign in"
            variant="contained"
            fullWidth
            disabled={submitting}
          />
        </div>
      </Form>
    </Login>
  );
}
