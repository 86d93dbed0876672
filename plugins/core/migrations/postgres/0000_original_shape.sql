-- A database as openimis/database_postgresql installs it, before the original backend's Django
-- migrations, still has the legacy tblUsers ("UserID" integer, "UserUUID" text, no `active`,
-- `version`, `Json_ext`, `LastLogin`, `date_deactivated`). The original's first start (core
-- 0032-0034) brings it to the shape every later openIMIS has; this does the same, losslessly:
-- the keys are renamed, not copied (every value and the sequence are kept), the legacy
-- "AuditUserID"/"LegacyID" stay (only "AuditUserID" stops being required, as the original
-- drops it), the users' links are widened to bigint as the original widens them. On any other
-- database (ours, or one the original has migrated) nothing matches and nothing changes.
DO $$
DECLARE
  pattern_index text;
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = 'tblUsers' AND column_name = 'UserID') THEN
    ALTER TABLE "tblUsers" RENAME COLUMN "UserID" TO "id";
    ALTER TABLE "tblUsers" ALTER COLUMN "id" TYPE bigint;
    -- Django's text-pattern index on the uuid cannot hold a uuid (the original has none after).
    FOR pattern_index IN SELECT indexname FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename = 'tblUsers'
          AND indexdef LIKE '%("UserUUID" varchar_pattern_ops)%' LOOP
      EXECUTE format('DROP INDEX %I', pattern_index);
    END LOOP;
    ALTER TABLE "tblUsers" RENAME COLUMN "UserUUID" TO "UUID";
    ALTER TABLE "tblUsers" ALTER COLUMN "UUID" TYPE uuid USING "UUID"::uuid;
    ALTER TABLE "tblUsers" ALTER COLUMN "AuditUserID" DROP NOT NULL;
    ALTER TABLE "tblUsers" ADD COLUMN IF NOT EXISTS "LastLogin" timestamp NULL;
    ALTER TABLE "tblUsers" ADD COLUMN IF NOT EXISTS "date_deactivated" timestamptz NULL;
    ALTER TABLE "tblUsers" ADD COLUMN IF NOT EXISTS "active" boolean NOT NULL DEFAULT true;
    ALTER TABLE "tblUsers" ADD COLUMN IF NOT EXISTS "Json_ext" jsonb NULL;
    ALTER TABLE "tblUsers" ADD COLUMN IF NOT EXISTS "version" int NOT NULL DEFAULT 1;
    ALTER TABLE "tblUsers" ALTER COLUMN "active" DROP DEFAULT;
    ALTER TABLE "tblUsers" ALTER COLUMN "version" DROP DEFAULT;
    ALTER TABLE IF EXISTS "tblUserRole" ALTER COLUMN "UserID" TYPE bigint;
    ALTER TABLE IF EXISTS "tblUsersDistricts" ALTER COLUMN "UserID" TYPE bigint;
  END IF;
END $$;
-- The original's later columns on the legacy officers' table (core 0020, 0023).
ALTER TABLE IF EXISTS "tblOfficer" ADD COLUMN IF NOT EXISTS "JsonExt" jsonb NULL;
