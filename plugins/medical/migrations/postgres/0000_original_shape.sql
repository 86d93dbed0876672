-- A database as openimis/database_postgresql installs it, before the original backend's Django
-- migrations, lacks columns the original adds on its first start (medical 0004-0010): items'
-- and services' maximum amount, services' manual price (false) and package type ('S', a
-- simple service), filled for existing rows as the original fills them. Added only where
-- missing; on any other database nothing changes.
ALTER TABLE IF EXISTS "tblItems" ADD COLUMN IF NOT EXISTS "MaximumAmount" numeric(18,2) NULL;
ALTER TABLE IF EXISTS "tblServices" ADD COLUMN IF NOT EXISTS "MaximumAmount" numeric(18,2) NULL;
ALTER TABLE IF EXISTS "tblServices" ADD COLUMN IF NOT EXISTS "manualPrice" boolean NOT NULL DEFAULT false;
ALTER TABLE IF EXISTS "tblServices" ADD COLUMN IF NOT EXISTS "ServPackageType" varchar(1) NOT NULL DEFAULT 'S';
-- The original fills existing rows but keeps no column default.
ALTER TABLE IF EXISTS "tblServices" ALTER COLUMN "manualPrice" DROP DEFAULT;
ALTER TABLE IF EXISTS "tblServices" ALTER COLUMN "ServPackageType" DROP DEFAULT;
