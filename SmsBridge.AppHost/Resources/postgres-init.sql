-- Roles and grants for the smsbridge database. One file, used by the AppHost's local PostgreSQL and by
-- the production init script. Passwords arrive as session settings, never spliced into SQL text.
-- owner: owns the schema and runs migrations. app: reads and writes rows, creates nothing.
-- backup: reads everything, writes nothing. None is a superuser; the superuser is used by no service.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
      ('smsbridge_owner', 'smsbridge.owner_password', 20),
      ('smsbridge_app', 'smsbridge.app_password', 60),
      ('smsbridge_backup', 'smsbridge.backup_password', 4)) AS t(role, setting, connections)
  LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r.role) THEN
      EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT %s PASSWORD %L',
        r.role, r.connections, current_setting(r.setting));
    ELSE
      EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT %s PASSWORD %L',
        r.role, r.connections, current_setting(r.setting));
    END IF;
  END LOOP;
END
$$;
