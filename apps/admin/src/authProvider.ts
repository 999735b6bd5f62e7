import type { AuthProvider } from 'react-admin';

import { canAccessResource, isStaff } from './access.ts';
import { appCodeOf, trpc, type StaffUser } from './trpc.ts';

export const staffOnlyMessage = 'This console is for staff accounts.';

/**
 * The signed-in account as `auth.me` returned it, or null when no one is signed in. react-admin
 * requests the identity, role and access on almost every render, so `auth.me` is fetched once
 * and the cache is cleared on login, logout and any UNAUTHENTICATED error. The API checks the
 * session on every call, so a stale cache can at worst show a page whose data then fails to load.
 */
let currentUser: Promise<StaffUser | null> | undefined;

function loadCurrentUser(): Promise<StaffUser | null> {
  currentUser ??= trpc.auth.me.query().catch((error: unknown) => {
    currentUser = undefined;
    throw error;
  });

  return currentUser;
}

function forgetCurrentUser() {
  currentUser = undefined;
}

async function requireStaff(): Promise<StaffUser> {
  const user = await loadCurrentUser();
  if (!user) {
    throw new Error('Sign in to continue.');
  }
  if (!isStaff(user.role)) {
    throw new Error(staffOnlyMessage);
  }

  return user;
}

/** Ends the session on the server. A session that has already expired counts as ended. */
async function endSession() {
  try {
    await trpc.auth.logOut.mutate();
  } catch (error) {
    if (appCodeOf(error) !== 'UNAUTHENTICATED') {
      throw error;
    }
  }
}

export const authProvider: AuthProvider = {
  async login(params: { email?: unknown; password?: unknown }) {
    forgetCurrentUser();
    const email = typeof params.email === 'string' ? params.email.trim() : '';
    const password = typeof params.password === 'string' ? params.password : '';
    if (!email || !password) {
      throw new Error('Enter your email and password.');
    }

    const user = await trpc.auth.logIn.mutate({ email, password });
    if (!isStaff(user.role)) {
      // logIn has just given the trader a valid session cookie, so end that session now.
      await endSession();
      throw new Error(staffOnlyMessage);
    }
    currentUser = Promise.resolve(user);
  },

  async logout() {
    // react-admin also calls logout when checkAuth fails. When `auth.me` has just reported that
    // no one is signed in, there is no session to end.
    const knownUser = await currentUser?.catch(() => undefined);
    forgetCurrentUser();
    if (knownUser !== null) {
      await endSession();
    }
  },

  async checkAuth() {
    await requireStaff();
  },

  async checkError(error: unknown) {
    if (appCodeOf(error) === 'UNAUTHENTICATED') {
      forgetCurrentUser();
      throw new Error('Your session has ended. Sign in again.');
    }
    // FORBIDDEN and other errors keep the session, and react-admin shows their message.
  },

  async getIdentity() {
    const user = await requireStaff();

    return { id: user.id, fullName: user.displayName };
  },

  async getPermissions() {
    const user = await loadCurrentUser();

    return user?.role;
  },

  async canAccess({ resource, action }) {
    const user = await loadCurrentUser();

    return canAccessResource(user?.role, resource, action);
  },
};
