-- A database as openimis/database_postgresql installs it, before the original backend's Django
-- migrations, lacks the policy columns the original adds on its first start (policy 0001-0011):
-- the contribution plan and the creation date. Added, empty, only where missing; on any other
-- database nothing changes. The link tables the original adds are created by 0001 when missing.
ALTER TABLE IF EXISTS "tblPolicy" ADD COLUMN IF NOT EXISTS "ContributionPlanID" uuid NULL;
ALTER TABLE IF EXISTS "tblPolicy" ADD COLUMN IF NOT EXISTS "creationDate" date NULL;
