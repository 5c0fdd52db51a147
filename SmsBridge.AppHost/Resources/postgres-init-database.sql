-- Run inside the smsbridge database, after it exists with smsbridge_owner as its owner.
REVOKE ALL ON DATABASE smsbridge FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE smsbridge TO smsbridge_app;
GRANT CONNECT ON DATABASE smsbridge TO smsbridge_backup;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO smsbridge_owner;
GRANT USAGE ON SCHEMA public TO smsbridge_app, smsbridge_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE smsbridge_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO smsbridge_app;
ALTER DEFAULT PRIVILEGES FOR ROLE smsbridge_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO smsbridge_app;
ALTER DEFAULT PRIVILEGES FOR ROLE smsbridge_owner IN SCHEMA public GRANT SELECT ON TABLES TO smsbridge_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE smsbridge_owner IN SCHEMA public GRANT SELECT ON SEQUENCES TO smsbridge_backup;
CREATE EXTENSION IF NOT EXISTS amcheck;
