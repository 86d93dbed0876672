-- A database as openimis/database_postgresql installs it, before the original backend's Django
-- migrations, lacks the insuree columns the original adds on its first start (insuree 0001-0023):
-- the JsonExt of families and insurees, the insuree status with its date and reason, the photo
-- blob, the photos' LegacyID, the confirmation types' flag; and it has CHF ids of 12 characters
-- and NOT NULL columns the original relaxes (an insuree's DOB, family and card, a photo's
-- officer, date and folder). Added, widened or relaxed only where needed; on any other database
-- nothing changes.
ALTER TABLE IF EXISTS "tblFamilies" ADD COLUMN IF NOT EXISTS "JsonExt" jsonb NULL;
ALTER TABLE IF EXISTS "tblInsuree" ADD COLUMN IF NOT EXISTS "JsonExt" jsonb NULL;
ALTER TABLE IF EXISTS "tblInsuree" ADD COLUMN IF NOT EXISTS "status" varchar(2) NULL;
ALTER TABLE IF EXISTS "tblInsuree" ADD COLUMN IF NOT EXISTS "status_date" date NULL;
ALTER TABLE IF EXISTS "tblInsuree" ADD COLUMN IF NOT EXISTS "StatusReason" smallint NULL;
ALTER TABLE IF EXISTS "tblPhotos" ADD COLUMN IF NOT EXISTS "photo" text NULL;
ALTER TABLE IF EXISTS "tblPhotos" ADD COLUMN IF NOT EXISTS "LegacyID" integer NULL;
ALTER TABLE IF EXISTS "tblConfirmationTypes" ADD COLUMN IF NOT EXISTS "is_confirmation_number_required" boolean NOT NULL DEFAULT false;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
             AND table_name = 'tblInsuree' AND column_name = 'CHFID' AND character_maximum_length < 50) THEN
    ALTER TABLE "tblInsuree" ALTER COLUMN "CHFID" TYPE varchar(50);
    ALTER TABLE "tblInsuree" ALTER COLUMN "CardIssued" DROP NOT NULL;
    ALTER TABLE "tblInsuree" ALTER COLUMN "DOB" DROP NOT NULL;
    ALTER TABLE "tblInsuree" ALTER COLUMN "FamilyID" DROP NOT NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
             AND table_name = 'tblPhotos' AND column_name = 'CHFID' AND character_maximum_length < 50) THEN
    ALTER TABLE "tblPhotos" ALTER COLUMN "CHFID" TYPE varchar(50);
    ALTER TABLE "tblPhotos" ALTER COLUMN "PhotoFileName" TYPE varchar(255);
    ALTER TABLE "tblPhotos" ALTER COLUMN "OfficerID" DROP NOT NULL;
    ALTER TABLE "tblPhotos" ALTER COLUMN "PhotoDate" DROP NOT NULL;
    ALTER TABLE "tblPhotos" ALTER COLUMN "PhotoFolder" DROP NOT NULL;
  END IF;
END $$;
