-- A database as openimis/database_postgresql installs it, before the original backend's Django
-- migrations, lacks the claim columns the original adds on its first start (claim 0001-0035):
-- the JsonExt of claims and their lines, the referrals, care type, restored claim,
-- pre-authorization, patient condition and referral code of a claim; it has claim codes of 8
-- characters, prompt phone numbers of 25 and no sequence behind "FeedbackPromptID". Added,
-- widened or given a sequence only where needed; on any other database nothing changes. The
-- tables the original adds (sub-lines, attachments, mutation links) and its view are created by
-- 0001 when missing.
ALTER TABLE IF EXISTS "tblClaim" ADD COLUMN IF NOT EXISTS "JsonExt" jsonb NULL;
ALTER TABLE IF EXISTS "tblClaim" ADD COLUMN IF NOT EXISTS "ReferFrom" integer NULL REFERENCES "tblHF" ("HfID");
ALTER TABLE IF EXISTS "tblClaim" ADD COLUMN IF NOT EXISTS "ReferTo" integer NULL REFERENCES "tblHF" ("HfID");
ALTER TABLE IF EXISTS "tblClaim" ADD COLUMN IF NOT EXISTS "CareType" varchar(4) NULL;
ALTER TABLE IF EXISTS "tblClaim" ADD COLUMN IF NOT EXISTS "RestoredClaim" integer NULL REFERENCES "tblClaim" ("ClaimID");
ALTER TABLE IF EXISTS "tblClaim" ADD COLUMN IF NOT EXISTS "pre_authorization" boolean NULL DEFAULT false;
ALTER TABLE IF EXISTS "tblClaim" ADD COLUMN IF NOT EXISTS "patient_condition" varchar(2) NULL;
ALTER TABLE IF EXISTS "tblClaim" ADD COLUMN IF NOT EXISTS "referral_code" varchar(50) NULL;
ALTER TABLE IF EXISTS "tblClaimItems" ADD COLUMN IF NOT EXISTS "JsonExt" jsonb NULL;
ALTER TABLE IF EXISTS "tblClaimServices" ADD COLUMN IF NOT EXISTS "JsonExt" jsonb NULL;
DO $$
DECLARE
  next_prompt bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
             AND table_name = 'tblClaim' AND column_name = 'ClaimCode' AND character_maximum_length < 50) THEN
    ALTER TABLE "tblClaim" ALTER COLUMN "ClaimCode" TYPE varchar(50);
  END IF;
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
             AND table_name = 'tblFeedbackPrompt' AND column_name = 'PhoneNumber' AND character_maximum_length < 50) THEN
    ALTER TABLE "tblFeedbackPrompt" ALTER COLUMN "PhoneNumber" TYPE varchar(50);
  END IF;
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
             AND table_name = 'tblFeedbackPrompt' AND column_name = 'FeedbackPromptID' AND column_default IS NULL) THEN
    CREATE SEQUENCE IF NOT EXISTS tblfeedbackprompt_feedbackpromptid_seq OWNED BY "tblFeedbackPrompt"."FeedbackPromptID";
    SELECT COALESCE(MAX("FeedbackPromptID"), 0) + 1 INTO next_prompt FROM "tblFeedbackPrompt";
    PERFORM setval('tblfeedbackprompt_feedbackpromptid_seq', next_prompt, false);
    ALTER TABLE "tblFeedbackPrompt" ALTER COLUMN "FeedbackPromptID" SET DEFAULT nextval('tblfeedbackprompt_feedbackpromptid_seq');
  END IF;
END $$;
