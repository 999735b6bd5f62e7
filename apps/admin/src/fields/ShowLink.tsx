import type { MouseEvent, ReactNode } from 'react';
import { Link, useCreatePath } from 'react-admin';

/**
 * Renders a link to a record's show page. The click stops at the link, so a link inside a
 * clickable Datagrid row opens the linked record and not the row's own.
 */
export function ShowLink(props: { resource: string; id: string; children: ReactNode }) {
  const createPath = useCreatePath();
  const to = createPath({ resource: props.resource, id: props.id, type: 'show' });

  return (
    <Link to={to} onClick={(event: MouseEvent) => event.stopPropagation()}>
      {props.children}
    </Link>
  );
}

/** Renders a link to a user's show page labelled with their display name, or a dash. */
export function UserLink({ user }: { user: { id: string; displayName: string } | null }) {
  if (!user) {
    return <span>—</span>;
  }

  return (
    <ShowLink resource="users" id={user.id}>
      {user.displayName}
    </ShowLink>
  );
}
