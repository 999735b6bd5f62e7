-- Hand-written: Prisma does not model triggers, so `migrate diff` neither creates nor sees this.
--
-- "AuditLog" is append-only. Each row stores the hash of the row before it (prevHash), so a
-- changed or removed row would break the chain for every later row. The trigger below makes
-- the database itself reject UPDATE, DELETE and TRUNCATE on the table, for every role including
-- its owner and superusers. Inserts are unaffected.
--
-- NOTE: a superuser can still get around it with ALTER TABLE ... DISABLE TRIGGER or
-- SET session_replication_role = replica; the hash chain is what detects such changes.

CREATE FUNCTION "AuditLog_reject_change"() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION 'AuditLog is append-only: % is not allowed', TG_OP
    USING HINT = 'Record a correction as a new audit row instead.';
END;
$$;

-- A statement-level trigger, because TRUNCATE fires no row triggers, and so that even an
-- UPDATE or DELETE that matches no rows is rejected.
CREATE TRIGGER "AuditLog_append_only"
BEFORE UPDATE OR DELETE OR TRUNCATE ON "AuditLog"
FOR EACH STATEMENT EXECUTE FUNCTION "AuditLog_reject_change"();
