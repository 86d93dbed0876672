-- claim's tables under the original's names (SQLite types; PostgreSQL's file has the original's).
-- tblClaimAdmin is core's. tblBatchRun belongs to claim_batch, which nobody serves: created here
-- (empty, in the original's shape) when missing, so a claim's "RunID" and the `batchRun_*`
-- filters have their table. tblClaim."FeedbackID" and tblFeedback."ClaimID" point at each other:
-- only the second is a foreign key here.
CREATE TABLE IF NOT EXISTS "tblBatchRun" (
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "RunID" INTEGER PRIMARY KEY AUTOINCREMENT, "RunDate" datetime NOT NULL, "AuditUserID" integer NOT NULL,
  "RunYear" integer NOT NULL, "RunMonth" smallint NOT NULL,
  "LocationId" integer NULL REFERENCES "tblLocations" ("LocationId"));
CREATE TABLE IF NOT EXISTS "tblClaim" (
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "ClaimID" INTEGER PRIMARY KEY AUTOINCREMENT, "ClaimUUID" varchar(36) NOT NULL UNIQUE, "ClaimCategory" varchar(1) NULL,
  "ClaimCode" varchar(50) NOT NULL, "DateFrom" date NOT NULL, "DateTo" date NULL, "ClaimStatus" smallint NOT NULL,
  "Adjustment" text NULL, "Claimed" decimal(18, 2) NULL, "Approved" decimal(18, 2) NULL,
  "Reinsured" decimal(18, 2) NULL, "Valuated" decimal(18, 2) NULL, "DateClaimed" date NOT NULL,
  "DateProcessed" date NULL, "Feedback" boolean NOT NULL DEFAULT false, "Explanation" text NULL,
  "FeedbackStatus" smallint NULL DEFAULT 1, "ReviewStatus" smallint NULL DEFAULT 1,
  "ApprovalStatus" smallint NULL DEFAULT 1, "RejectionReason" smallint NULL DEFAULT 0,
  "AuditUserID" integer NOT NULL, "ValidityFromReview" datetime NULL, "ValidityToReview" datetime NULL,
  "SubmitStamp" datetime NULL, "ProcessStamp" datetime NULL, "Remunerated" decimal(18, 2) NULL,
  "GuaranteeId" varchar(50) NULL, "VisitType" varchar(1) NULL, "AuditUserIDReview" integer NULL,
  "AuditUserIDSubmit" integer NULL, "AuditUserIDProcess" integer NULL,
  "Adjuster" integer NULL REFERENCES "tblUsers" ("id"),
  "ClaimAdminId" integer NULL REFERENCES "tblClaimAdmin" ("ClaimAdminId"),
  "RunID" integer NULL REFERENCES "tblBatchRun" ("RunID"),
  "FeedbackID" integer NULL, "HFID" integer NOT NULL REFERENCES "tblHF" ("HfID"),
  "ICDID" integer NOT NULL REFERENCES "tblICDCodes" ("ICDID"),
  "ICDID1" integer NULL REFERENCES "tblICDCodes" ("ICDID"), "ICDID2" integer NULL REFERENCES "tblICDCodes" ("ICDID"),
  "ICDID3" integer NULL REFERENCES "tblICDCodes" ("ICDID"), "ICDID4" integer NULL REFERENCES "tblICDCodes" ("ICDID"),
  "InsureeID" integer NOT NULL REFERENCES "tblInsuree" ("InsureeID"), "RowID" BLOB NULL, "JsonExt" TEXT NULL,
  "ReferFrom" integer NULL REFERENCES "tblHF" ("HfID"), "ReferTo" integer NULL REFERENCES "tblHF" ("HfID"),
  "CareType" varchar(4) NULL, "RestoredClaim" integer NULL REFERENCES "tblClaim" ("ClaimID"),
  "pre_authorization" boolean NULL DEFAULT false, "patient_condition" varchar(2) NULL,
  "referral_code" varchar(50) NULL);
CREATE INDEX IF NOT EXISTS "tblClaim_claim_hf" ON "tblClaim" ("HFID");
CREATE INDEX IF NOT EXISTS "tblClaim_claim_insuree" ON "tblClaim" ("InsureeID");
CREATE INDEX IF NOT EXISTS "tblClaim_claim_icd" ON "tblClaim" ("ICDID");
CREATE INDEX IF NOT EXISTS "tblClaim_claim_legacy" ON "tblClaim" ("LegacyID");
CREATE TABLE IF NOT EXISTS "tblFeedback" (
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "FeedbackID" INTEGER PRIMARY KEY AUTOINCREMENT, "FeedbackUUID" varchar(36) NOT NULL UNIQUE, "CareRendered" boolean NULL,
  "PaymentAsked" boolean NULL, "DrugPrescribed" boolean NULL, "DrugReceived" boolean NULL,
  "Asessment" smallint NULL, "CHFOfficerCode" integer NULL, "FeedbackDate" datetime NULL,
  "AuditUserID" integer NOT NULL, "ClaimID" integer NULL UNIQUE REFERENCES "tblClaim" ("ClaimID"));
CREATE TABLE IF NOT EXISTS "tblFeedbackPrompt" (
  "ClaimID" integer NULL REFERENCES "tblClaim" ("ClaimID"), "FeedbackPromptDate" date NOT NULL,
  "FeedbackPromptID" INTEGER PRIMARY KEY AUTOINCREMENT, "LegacyID" integer NULL,
  "OfficerID" integer NULL REFERENCES "tblOfficer" ("OfficerID"), "PhoneNumber" varchar(50) NULL,
  "SMSStatus" smallint NULL DEFAULT 0, "ValidityFrom" datetime NULL, "ValidityTo" datetime NULL,
  "AuditUserID" integer NULL);
CREATE TABLE IF NOT EXISTS "tblClaimItems" (
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "ClaimItemID" INTEGER PRIMARY KEY AUTOINCREMENT, "ClaimItemStatus" smallint NOT NULL, "Availability" boolean NOT NULL,
  "QtyProvided" decimal(18, 2) NOT NULL, "QtyApproved" decimal(18, 2) NULL, "PriceAsked" decimal(18, 2) NOT NULL,
  "PriceAdjusted" decimal(18, 2) NULL, "PriceApproved" decimal(18, 2) NULL, "PriceValuated" decimal(18, 2) NULL,
  "Explanation" text NULL, "Justification" text NULL, "RejectionReason" smallint NULL,
  "AuditUserID" integer NOT NULL, "ValidityFromReview" datetime NULL, "ValidityToReview" datetime NULL,
  "AuditUserIDReview" integer NULL, "LimitationValue" decimal(18, 2) NULL, "Limitation" varchar(1) NULL,
  "RemuneratedAmount" decimal(18, 2) NULL, "DeductableAmount" decimal(18, 2) NULL,
  "ExceedCeilingAmount" decimal(18, 2) NULL, "PriceOrigin" varchar(1) NULL,
  "ExceedCeilingAmountCategory" decimal(18, 2) NULL,
  "ClaimID" integer NOT NULL REFERENCES "tblClaim" ("ClaimID"),
  "ItemID" integer NOT NULL REFERENCES "tblItems" ("ItemID"),
  "PolicyID" integer NULL REFERENCES "tblPolicy" ("PolicyID"),
  "ProdID" integer NULL REFERENCES "tblProduct" ("ProdID"), "JsonExt" TEXT NULL);
CREATE INDEX IF NOT EXISTS "tblClaimItems_claim_claim" ON "tblClaimItems" ("ClaimID");
CREATE TABLE IF NOT EXISTS "tblClaimServices" (
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "ClaimServiceID" INTEGER PRIMARY KEY AUTOINCREMENT, "ClaimServiceStatus" smallint NOT NULL,
  "QtyProvided" decimal(18, 2) NOT NULL, "QtyApproved" decimal(18, 2) NULL, "PriceAsked" decimal(18, 2) NOT NULL,
  "PriceAdjusted" decimal(18, 2) NULL, "PriceApproved" decimal(18, 2) NULL, "PriceValuated" decimal(18, 2) NULL,
  "Explanation" text NULL, "Justification" text NULL, "RejectionReason" smallint NULL,
  "AuditUserID" integer NOT NULL, "ValidityFromReview" datetime NULL, "ValidityToReview" datetime NULL,
  "AuditUserIDReview" integer NULL, "LimitationValue" decimal(18, 2) NULL, "Limitation" varchar(1) NULL,
  "RemuneratedAmount" decimal(18, 2) NULL, "DeductableAmount" decimal(18, 2) NULL,
  "ExceedCeilingAmount" decimal(18, 2) NULL, "PriceOrigin" varchar(1) NULL,
  "ExceedCeilingAmountCategory" decimal(18, 2) NULL,
  "ClaimID" integer NOT NULL REFERENCES "tblClaim" ("ClaimID"),
  "PolicyID" integer NULL REFERENCES "tblPolicy" ("PolicyID"),
  "ProdID" integer NULL REFERENCES "tblProduct" ("ProdID"),
  "ServiceID" integer NOT NULL REFERENCES "tblServices" ("ServiceID"), "JsonExt" TEXT NULL);
CREATE INDEX IF NOT EXISTS "tblClaimServices_claim_claim" ON "tblClaimServices" ("ClaimID");
CREATE TABLE IF NOT EXISTS "tblClaimServicesItems" (
  "idCsi" INTEGER PRIMARY KEY AUTOINCREMENT, "qty_provided" integer NULL,
  "qty_displayed" integer NULL, "created_date" datetime NULL DEFAULT CURRENT_TIMESTAMP, "price" decimal(18, 2) NULL,
  "ClaimServiceID" integer NOT NULL REFERENCES "tblClaimServices" ("ClaimServiceID"),
  "ItemID" integer NOT NULL REFERENCES "tblItems" ("ItemID"));
CREATE TABLE IF NOT EXISTS "tblClaimServicesService" (
  "idCss" INTEGER PRIMARY KEY AUTOINCREMENT, "qty_provided" integer NULL,
  "qty_displayed" integer NULL, "created_date" datetime NULL DEFAULT CURRENT_TIMESTAMP, "price" decimal(18, 2) NULL,
  "claimServiceID" integer NOT NULL REFERENCES "tblClaimServices" ("ClaimServiceID"),
  "ServiceId" integer NOT NULL REFERENCES "tblServices" ("ServiceID"));
CREATE TABLE IF NOT EXISTS "tblClaimDedRem" (
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "ExpenditureID" INTEGER PRIMARY KEY AUTOINCREMENT, "DedG" decimal(18, 2) NULL, "DedOP" decimal(18, 2) NULL,
  "DedIP" decimal(18, 2) NULL, "RemG" decimal(18, 2) NULL, "RemOP" decimal(18, 2) NULL, "RemIP" decimal(18, 2) NULL,
  "RemConsult" decimal(18, 2) NULL, "RemSurgery" decimal(18, 2) NULL, "RemDelivery" decimal(18, 2) NULL,
  "RemHospitalization" decimal(18, 2) NULL, "RemAntenatal" decimal(18, 2) NULL, "AuditUserID" integer NOT NULL,
  "ClaimID" integer NOT NULL REFERENCES "tblClaim" ("ClaimID"),
  "InsureeID" integer NULL REFERENCES "tblInsuree" ("InsureeID"),
  "PolicyID" integer NOT NULL REFERENCES "tblPolicy" ("PolicyID"));
CREATE INDEX IF NOT EXISTS "tblClaimDedRem_claim_claim" ON "tblClaimDedRem" ("ClaimID");
CREATE TABLE IF NOT EXISTS "claim_ClaimAttachment_ClaimAttachmentType" (
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
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
  "id" varchar(36) PRIMARY KEY, "LegacyID" varchar(36) NULL, "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "ValidityTo" datetime NULL, "type" text NULL, "title" text NULL, "date" date NOT NULL DEFAULT CURRENT_DATE,
  "filename" text NULL, "mime" text NULL, "document" text NULL,
  "claim_id" integer NOT NULL REFERENCES "tblClaim" ("ClaimID"), "url" text NULL,
  "general_type" varchar(4) NOT NULL DEFAULT 'FILE', "module" text NULL,
  "predefined_type_id" smallint NULL REFERENCES "claim_ClaimAttachment_ClaimAttachmentType" ("ClaimAttachmentTypeId"));
CREATE INDEX IF NOT EXISTS "claim_ClaimAttachment_claim_claim" ON "claim_ClaimAttachment" ("claim_id");
CREATE TABLE IF NOT EXISTS "claim_ClaimMutation" (
  "id" varchar(36) PRIMARY KEY, "claim_id" integer NOT NULL REFERENCES "tblClaim" ("ClaimID"),
  "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"));
CREATE INDEX IF NOT EXISTS "claim_ClaimMutation_claim_mutation" ON "claim_ClaimMutation" ("mutation_id");
-- The original's view (every attachment, valid or not, counted per claim).
CREATE VIEW IF NOT EXISTS "claim_ClaimAttachmentsCountView" AS
  SELECT "claim_ClaimAttachment".claim_id, count(*) AS attachments_count
  FROM "claim_ClaimAttachment" GROUP BY "claim_ClaimAttachment".claim_id;
