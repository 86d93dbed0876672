-- A database as openimis/database_postgresql installs it, before the original backend's Django
-- migrations, lacks columns the original adds on its first start (location 0014-0019): the
-- facilities' JsonExt, contract dates and status ('AC' for every existing facility, as the
-- original fills it), the locations' JsonExt, and location codes up to 50 characters. Added
-- (or widened) only where missing; on any other database nothing changes.
ALTER TABLE IF EXISTS "tblLocations" ADD COLUMN IF NOT EXISTS "JsonExt" jsonb NULL;
ALTER TABLE IF EXISTS "tblHF" ADD COLUMN IF NOT EXISTS "JsonExt" jsonb NULL;
ALTER TABLE IF EXISTS "tblHF" ADD COLUMN IF NOT EXISTS "ContractStartDate" date NULL;
ALTER TABLE IF EXISTS "tblHF" ADD COLUMN IF NOT EXISTS "ContractEndDate" date NULL;
ALTER TABLE IF EXISTS "tblHF" ADD COLUMN IF NOT EXISTS "status" varchar(2) NOT NULL DEFAULT 'AC';
-- The legacy views over locations (tblRegions, tblDistricts, and the views built on those) read
-- the code: they are set aside and put back unchanged around the widening, as the original's
-- migration does; deepest first down, shallowest first up.
DO $$
DECLARE
  dependent record;
  views text[] := '{}';
  definitions text[] := '{}';
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = 'tblLocations'
               AND column_name = 'LocationCode' AND character_maximum_length < 50) THEN
    FOR dependent IN
        WITH RECURSIVE dependents(oid, depth) AS (
          SELECT v.oid, 1 FROM pg_depend d
            JOIN pg_rewrite r ON r.oid = d.objid
            JOIN pg_class v ON v.oid = r.ev_class
            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
           WHERE d.refobjid = '"tblLocations"'::regclass AND a.attname = 'LocationCode' AND v.oid <> d.refobjid
          UNION
          SELECT v.oid, dependents.depth + 1 FROM dependents
            JOIN pg_depend d ON d.refobjid = dependents.oid
            JOIN pg_rewrite r ON r.oid = d.objid
            JOIN pg_class v ON v.oid = r.ev_class
           WHERE v.oid <> dependents.oid)
        SELECT c.relname, pg_get_viewdef(c.oid) AS definition, MAX(dependents.depth) AS depth
          FROM dependents JOIN pg_class c ON c.oid = dependents.oid
         GROUP BY c.oid, c.relname ORDER BY MAX(dependents.depth) DESC LOOP
      views := views || dependent.relname::text;
      definitions := definitions || dependent.definition;
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(views, 1), 0) LOOP
      EXECUTE format('DROP VIEW %I', views[i]);
    END LOOP;
    ALTER TABLE "tblLocations" ALTER COLUMN "LocationCode" TYPE varchar(50);
    FOR i IN REVERSE coalesce(array_length(views, 1), 0) .. 1 LOOP
      EXECUTE format('CREATE VIEW %I AS %s', views[i], definitions[i]);
    END LOOP;
  END IF;
END $$;
-- The original fills existing rows but keeps no column default.
ALTER TABLE IF EXISTS "tblHF" ALTER COLUMN "status" DROP DEFAULT;
