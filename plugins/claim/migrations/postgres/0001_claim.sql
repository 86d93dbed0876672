-- claim's tables under the original's names and column types (PostgreSQL). IF NOT EXISTS: on an
-- existing openIMIS database they are there already and are used as they are (0000 brings an
-- unmigrated one into the original's shape first). tblClaimAdmin is core's. tblBatchRun belongs
-- to claim_batch, which nobody serves: created here (empty, in the original's shape) when
-- missing, so a claim's "RunID" and the `batchRun_*` filters have their table.
-- tblClaim."FeedbackID" and tblFeedback."ClaimID" point at each other: only the second is a
-- foreign key here.
CREATE TABLE IF NOT EXISTS "tblBatchRun" (
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" integer NULL,
  "RunID" serial PRIMARY KEY, "RunDate" timestamptz NOT NULL, "AuditUserID" integer NOT NULL,
  "RunYear" integer NOT NULL, "RunMonth" smallint NOT NULL,
  "LocationId" integer NULL REFERENCES "tblLocations" ("LocationId"));
CREATE TABLE IF NOT EXISTS "tblClaim" (
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" integer NULL,
  "ClaimID" serial PRIMARY KEY, "ClaimUUID" varchar(36) NOT NULL UNIQUE, "ClaimCategory" varchar(1) NULL,
  "ClaimCode" varchar(50) NOT NULL, "DateFrom" date NOT NULL, "DateTo" date NULL, "ClaimStatus" smallint NOT NULL,
  "Adjustment" text NULL, "Claimed" numeric(18,2) NULL, "Approved" numeric(18,2) NULL,
  "Reinsured" numeric(18,2) NULL, "Valuated" numeric(18,2) NULL, "DateClaimed" date NOT NULL,
  "DateProcessed" date NULL, "Feedback" boolean NOT NULL DEFAULT false, "Explanation" text NULL,
  "FeedbackStatus" smallint NULL DEFAULT 1, "ReviewStatus" smallint NULL DEFAULT 1,
  "ApprovalStatus" smallint NULL DEFAULT 1, "RejectionReason" smallint NULL DEFAULT 0,
  "AuditUserID" integer NOT NULL, "ValidityFromReview" timestamptz NULL, "ValidityToReview" timestamptz NULL,
  "SubmitStamp" timestamptz NULL, "ProcessStamp" timestamptz NULL, "Remunerated" numeric(18,2) NULL,
  "GuaranteeId" varchar(50) NULL, "VisitType" varchar(1) NULL, "AuditUserIDReview" integer NULL,
  "AuditUserIDSubmit" integer NULL, "AuditUserIDProcess" integer NULL,
  "Adjuster" integer NULL REFERENCES "tblUsers" ("id"),
  "ClaimAdminId" integer NULL REFERENCES "tblClaimAdmin" ("ClaimAdminId"),
  "RunID" integer NULL REFERENCES "tblBatchRun" ("RunID"),
  "FeedbackID" integer NULL, "HFID" integer NOT NULL REFERENCES "tblHF" ("HfID"),
  "ICDID" integer NOT NULL REFERENCES "tblICDCodes" ("ICDID"),
  "ICDID1" integer NULL REFERENCES "tblICDCodes" ("ICDID"), "ICDID2" integer NULL REFERENCES "tblICDCodes" ("ICDID"),
  "ICDID3" integer NULL REFERENCES "tblICDCodes" ("ICDID"), "ICDID4" integer NULL REFERENCES "tblICDCodes" ("ICDID"),
  "InsureeID" integer NOT NULL REFERENCES "tblInsuree" ("InsureeID"), "RowID" bytea NULL, "JsonExt" jsonb NULL,
  "ReferFrom" integer NULL REFERENCES "tblHF" ("HfID"), "ReferTo" integer NULL REFERENCES "tblHF" ("HfID"),
  "CareType" varchar(4) NULL, "RestoredClaim" integer NULL REFERENCES "tblClaim" ("ClaimID"),
  "pre_authorization" boolean NULL DEFAULT false, "patient_condition" varchar(2) NULL,
  "referral_code" varchar(50) NULL);
CREATE INDEX IF NOT EXISTS "tblClaim_claim_hf" ON "tblClaim" ("HFID");
CREATE INDEX IF NOT EXISTS "tblClaim_claim_insuree" ON "tblClaim" ("InsureeID");
CREATE INDEX IF NOT EXISTS "tblClaim_claim_icd" ON "tblClaim" ("ICDID");
CREATE INDEX IF NOT EXISTS "tblClaim_claim_legacy" ON "tblClaim" ("LegacyID");
CREATE TABLE IF NOT EXISTS "tblFeedback" (
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" integer NULL,
  "FeedbackID" serial PRIMARY KEY, "FeedbackUUID" varchar(36) NOT NULL UNIQUE, "CareRendered" boolean NULL,
  "PaymentAsked" boolean NULL, "DrugPrescribed" boolean NULL, "DrugReceived" boolean NULL,
  "Asessment" smallint NULL, "CHFOfficerCode" integer NULL, "FeedbackDate" timestamptz NULL,
  "AuditUserID" integer NOT NULL, "ClaimID" integer NULL UNIQUE REFERENCES "tblClaim" ("ClaimID"));
CREATE TABLE IF NOT EXISTS "tblFeedbackPrompt" (
  "ClaimID" integer NULL REFERENCES "tblClaim" ("ClaimID"), "FeedbackPromptDate" date NOT NULL,
  "FeedbackPromptID" serial PRIMARY KEY, "LegacyID" integer NULL,
  "OfficerID" integer NULL REFERENCES "tblOfficer" ("OfficerID"), "PhoneNumber" varchar(50) NULL,
  "SMSStatus" smallint NULL DEFAULT 0, "ValidityFrom" timestamptz NULL, "ValidityTo" timestamptz NULL,
  "AuditUserID" integer NULL);
CREATE TABLE IF NOT EXISTS "tblClaimItems" (
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" integer NULL,
  "ClaimItemID" serial PRIMARY KEY, "ClaimItemStatus" smallint NOT NULL, "Availability" boolean NOT NULL,
  "QtyProvided" numeric(18,2) NOT NULL, "QtyApproved" numeric(18,2) NULL, "PriceAsked" numeric(18,2) NOT NULL,
  "PriceAdjusted" numeric(18,2) NULL, "PriceApproved" numeric(18,2) NULL, "PriceValuated" numeric(18,2) NULL,
  "Explanation" text NULL, "Justification" text NULL, "RejectionReason" smallint NULL,
  "AuditUserID" integer NOT NULL, "ValidityFromReview" timestamptz NULL, "ValidityToReview" timestamptz NULL,
  "AuditUserIDReview" integer NULL, "LimitationValue" numeric(18,2) NULL, "Limitation" varchar(1) NULL,
  "RemuneratedAmount" numeric(18,2) NULL, "DeductableAmount" numeric(18,2) NULL,
  "ExceedCeilingAmount" numeric(18,2) NULL, "PriceOrigin" varchar(1) NULL,
  "ExceedCeilingAmountCategory" numeric(18,2) NULL,
  "ClaimID" integer NOT NULL REFERENCES "tblClaim" ("ClaimID"),
  "ItemID" integer NOT NULL REFERENCES "tblItems" ("ItemID"),
  "PolicyID" integer NULL REFERENCES "tblPolicy" ("PolicyID"),
  "ProdID" integer NULL REFERENCES "tblProduct" ("ProdID"), "JsonExt" jsonb NULL);
CREATE INDEX IF NOT EXISTS "tblClaimItems_claim_claim" ON "tblClaimItems" ("ClaimID");
CREATE TABLE IF NOT EXISTS "tblClaimServices" (
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" integer NULL,
  "ClaimServiceID" serial PRIMARY KEY, "ClaimServiceStatus" smallint NOT NULL,
  "QtyProvided" numeric(18,2) NOT NULL, "QtyApproved" numeric(18,2) NULL, "PriceAsked" numeric(18,2) NOT NULL,
  "PriceAdjusted" numeric(18,2) NULL, "PriceApproved" numeric(18,2) NULL, "PriceValuated" numeric(18,2) NULL,
  "Explanation" text NULL, "Justification" text NULL, "RejectionReason" smallint NULL,
  "AuditUserID" integer NOT NULL, "ValidityFromReview" timestamptz NULL, "ValidityToReview" timestamptz NULL,
  "AuditUserIDReview" integer NULL, "LimitationValue" numeric(18,2) NULL, "Limitation" varchar(1) NULL,
  "RemuneratedAmount" numeric(18,2) NULL, "DeductableAmount" numeric(18,2) NULL,
  "ExceedCeilingAmount" numeric(18,2) NULL, "PriceOrigin" varchar(1) NULL,
  "ExceedCeilingAmountCategory" numeric(18,2) NULL,
  "ClaimID" integer NOT NULL REFERENCES "tblClaim" ("ClaimID"),
  "PolicyID" integer NULL REFERENCES "tblPolicy" ("PolicyID"),
  "ProdID" integer NULL REFERENCES "tblProduct" ("ProdID"),
  "ServiceID" integer NOT NULL REFERENCES "tblServices" ("ServiceID"), "JsonExt" jsonb NULL);
CREATE INDEX IF NOT EXISTS "tblClaimServices_claim_claim" ON "tblClaimServices" ("ClaimID");
CREATE TABLE IF NOT EXISTS "tblClaimServicesItems" (
  "idCsi" integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "qty_provided" integer NULL,
  "qty_displayed" integer NULL, "created_date" timestamptz NULL DEFAULT now(), "price" numeric(18,2) NULL,
  "ClaimServiceID" integer NOT NULL REFERENCES "tblClaimServices" ("ClaimServiceID"),
  "ItemID" integer NOT NULL REFERENCES "tblItems" ("ItemID"));
CREATE TABLE IF NOT EXISTS "tblClaimServicesService" (
  "idCss" integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "qty_provided" integer NULL,
  "qty_displayed" integer NULL, "created_date" timestamptz NULL DEFAULT now(), "price" numeric(18,2) NULL,
  "claimServiceID" integer NOT NULL REFERENCES "tblClaimServices" ("ClaimServiceID"),
  "ServiceId" integer NOT NULL REFERENCES "tblServices" ("ServiceID"));
CREATE TABLE IF NOT EXISTS "tblClaimDedRem" (
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" integer NULL,
  "ExpenditureID" serial PRIMARY KEY, "DedG" numeric(18,2) NULL, "DedOP" numeric(18,2) NULL,
  "DedIP" numeric(18,2) NULL, "RemG" numeric(18,2) NULL, "RemOP" numeric(18,2) NULL, "RemIP" numeric(18,2) NULL,
  "RemConsult" numeric(18,2) NULL, "RemSurgery" numeric(18,2) NULL, "RemDelivery" numeric(18,2) NULL,
  "RemHospitalization" numeric(18,2) NULL, "RemAntenatal" numeric(18,2) NULL, "AuditUserID" integer NOT NULL,
  "ClaimID" integer NOT NULL REFERENCES "tblClaim" ("ClaimID"),
  "InsureeID" integer NULL REFERENCES "tblInsuree" ("InsureeID"),
  "PolicyID" integer NOT NULL REFERENCES "tblPolicy" ("PolicyID"));
CREATE INDEX IF NOT EXISTS "tblClaimDedRem_claim_claim" ON "tblClaimDedRem" ("ClaimID");
CREATE TABLE IF NOT EXISTS "claim_ClaimAttachment_ClaimAttachmentType" (
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" integer NULL,
  "ClaimAttachmentTypeId" smallint PRIMARY KEY, "ClaimAttachmentType" varchar(50) NOT NULL,
  "is_autogenerated" boolean NOT NULL DEFAULT false, "claim_general_type" varchar(10) NOT NULL DEFAULT 'FILE');
-- The original's migration seeds the two "default" types (1 FILE, 2 URL): only into an empty table.
INSERT INTO "claim_ClaimAttachment_ClaimAttachmentType"
  ("ClaimAttachmentTypeId", "ClaimAttachmentType", "is_autogenerated", "claim_general_type")
  SELECT t.id, 'default', false, t.general_type
  FROM (SELECT 1 AS id, 'FILE' AS general_type UNION ALL SELECT 2, 'URL') t
  WHERE NOT EXISTS (SELECT 1 FROM "claim_ClaimAttachment_ClaimAttachmentType")
  ORDER BY t.id;
CREATE TABLE IF NOT EXISTS "claim_ClaimAttachment" (
  "id" uuid PRIMARY KEY, "LegacyID" uuid NULL, "ValidityFrom" timestamptz NOT NULL DEFAULT now(),
  "ValidityTo" timestamptz NULL, "type" text NULL, "title" text NULL, "date" date NOT NULL DEFAULT CURRENT_DATE,
  "filename" text NULL, "mime" text NULL, "document" text NULL,
  "claim_id" integer NOT NULL REFERENCES "tblClaim" ("ClaimID"), "url" text NULL,
  "general_type" varchar(4) NOT NULL DEFAULT 'FILE', "module" text NULL,
  "predefined_type_id" smallint NULL REFERENCES "claim_ClaimAttachment_ClaimAttachmentType" ("ClaimAttachmentTypeId"));
CREATE INDEX IF NOT EXISTS "claim_ClaimAttachment_claim_claim" ON "claim_ClaimAttachment" ("claim_id");
CREATE TABLE IF NOT EXISTS "claim_ClaimMutation" (
  "id" uuid PRIMARY KEY, "claim_id" integer NOT NULL REFERENCES "tblClaim" ("ClaimID"),
  "mutation_id" uuid NOT NULL REFERENCES "core_Mutation_Log" ("id"));
CREATE INDEX IF NOT EXISTS "claim_ClaimMutation_claim_mutation" ON "claim_ClaimMutation" ("mutation_id");
-- The original's view (every attachment, valid or not, counted per claim), only where missing.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.views WHERE table_schema = current_schema()
                 AND table_name = 'claim_ClaimAttachmentsCountView') THEN
    CREATE VIEW "claim_ClaimAttachmentsCountView" AS
      SELECT "claim_ClaimAttachment".claim_id, count(*) AS attachments_count
      FROM "claim_ClaimAttachment" GROUP BY "claim_ClaimAttachment".claim_id;
  END IF;
END $$;
