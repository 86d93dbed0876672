-- A database as openimis/database_postgresql installs it, before the original backend's Django
-- migrations, lacks the premium columns the original adds on its first start (contribution
-- 0004): the commission report fields. Added, empty, only where missing; on any other database
-- nothing changes. The legacy "RowID" the original drops (0005) is kept: nothing is lost. The
-- link table the original adds is created by 0001 when missing.
ALTER TABLE IF EXISTS "tblPremium" ADD COLUMN IF NOT EXISTS "AllDetailsCommissionReport" timestamptz NULL;
ALTER TABLE IF EXISTS "tblPremium" ADD COLUMN IF NOT EXISTS "OverviewCommissionReport" timestamptz NULL;
ALTER TABLE IF EXISTS "tblPremium" ADD COLUMN IF NOT EXISTS "ReportingCommissionID" integer NULL;
