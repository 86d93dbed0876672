-- A database as openimis/database_postgresql installs it, before the original backend's Django
-- migrations, lacks the product columns the original adds on its first start: the ceiling
-- type and the age bounds ("Max Age", "Min Age"). Added, empty, only where missing; on any
-- other database nothing changes.
ALTER TABLE IF EXISTS "tblProduct" ADD COLUMN IF NOT EXISTS "CeilingType" varchar(1) NULL;
ALTER TABLE IF EXISTS "tblProduct" ADD COLUMN IF NOT EXISTS "Max Age" integer NULL;
ALTER TABLE IF EXISTS "tblProduct" ADD COLUMN IF NOT EXISTS "Min Age" integer NULL;
