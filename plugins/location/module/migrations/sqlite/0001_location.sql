-- location's tables under the original's names (SQLite types). IF NOT EXISTS: on an existing openIMIS
-- database (legacy SQL + Django migrations) the tables are already there and are used as they are.
CREATE TABLE IF NOT EXISTS "tblLocations" (
  "LocationId" INTEGER PRIMARY KEY AUTOINCREMENT, "LocationUUID" varchar(36) NOT NULL UNIQUE, "LocationCode" varchar(50) NULL,
  "LocationName" varchar(50) NULL, "ParentLocationId" int NULL REFERENCES "tblLocations" ("LocationId"), "LocationType" varchar(1) NOT NULL,
  "MalePopulation" int NULL, "FemalePopulation" int NULL, "OtherPopulation" int NULL, "Families" int NULL,
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" int NULL, "AuditUserId" int NULL,
  "JsonExt" text NULL, "RowId" text NULL);
CREATE INDEX IF NOT EXISTS "tblLocations_parent" ON "tblLocations" ("ParentLocationId");
CREATE INDEX IF NOT EXISTS "tblLocations_code" ON "tblLocations" ("LocationCode");
CREATE TABLE IF NOT EXISTS "tblLegalForms" (
  "LegalFormCode" varchar(1) PRIMARY KEY, "LegalForms" varchar(50) NOT NULL, "SortOrder" int NULL, "AltLanguage" varchar(50) NULL);
CREATE TABLE IF NOT EXISTS "tblHFSublevel" (
  "HFSublevel" varchar(1) PRIMARY KEY, "HFSublevelDesc" varchar(50) NULL, "SortOrder" int NULL, "AltLanguage" varchar(50) NULL);
CREATE TABLE IF NOT EXISTS "tblHF" (
  "HfID" INTEGER PRIMARY KEY AUTOINCREMENT, "HfUUID" varchar(36) NOT NULL UNIQUE, "HFCode" varchar(8) NOT NULL, "HFName" varchar(100) NOT NULL,
  "AccCode" varchar(25) NULL, "LegalForm" varchar(1) NOT NULL REFERENCES "tblLegalForms" ("LegalFormCode"), "HFLevel" varchar(1) NOT NULL,
  "HFSublevel" varchar(1) NULL REFERENCES "tblHFSublevel" ("HFSublevel"), "LocationId" int NOT NULL REFERENCES "tblLocations" ("LocationId"),
  "HFAddress" varchar(100) NULL, "Phone" varchar(50) NULL, "Fax" varchar(50) NULL, "eMail" varchar(50) NULL, "HFCareType" varchar(1) NOT NULL,
  "PLServiceID" int NULL, "PLItemID" int NULL, "OffLine" boolean NOT NULL DEFAULT false, "AuditUserID" int NOT NULL,
  "ContractStartDate" date NULL, "ContractEndDate" date NULL, "status" varchar(2) NOT NULL DEFAULT 'AC',
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" int NULL, "JsonExt" text NULL, "RowID" blob NULL);
CREATE INDEX IF NOT EXISTS "tblHF_location" ON "tblHF" ("LocationId");
CREATE TABLE IF NOT EXISTS "tblHFCatchment" (
  "HFCatchmentId" INTEGER PRIMARY KEY AUTOINCREMENT, "HFID" int NOT NULL REFERENCES "tblHF" ("HfID"), "LocationId" int NOT NULL REFERENCES "tblLocations" ("LocationId"),
  "Catchment" int NULL, "ValidityFrom" datetime NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyId" int NULL, "AuditUserId" int NULL);
CREATE TABLE IF NOT EXISTS "tblUsersDistricts" (
  "UserDistrictID" INTEGER PRIMARY KEY AUTOINCREMENT, "UserID" bigint NOT NULL REFERENCES "tblUsers" ("id"), "LocationId" int NOT NULL REFERENCES "tblLocations" ("LocationId"),
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" int NULL, "AuditUserID" int NOT NULL);
CREATE INDEX IF NOT EXISTS "tblUsersDistricts_user" ON "tblUsersDistricts" ("UserID");
CREATE TABLE IF NOT EXISTS "tblOfficerVillages" (
  "OfficerVillageId" INTEGER PRIMARY KEY AUTOINCREMENT, "OfficerId" int NULL REFERENCES "tblOfficer" ("OfficerID"), "LocationId" int NULL REFERENCES "tblLocations" ("LocationId"),
  "ValidityFrom" datetime NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" int NULL, "AuditUserID" int NULL, "RowId" text NULL);
CREATE INDEX IF NOT EXISTS "tblOfficerVillages_officer" ON "tblOfficerVillages" ("OfficerId");
CREATE TABLE IF NOT EXISTS "location_LocationMutation" (
  "id" varchar(36) PRIMARY KEY, "location_id" int NOT NULL REFERENCES "tblLocations" ("LocationId"), "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"));
CREATE TABLE IF NOT EXISTS "location_HealthFacilityMutation" (
  "id" varchar(36) PRIMARY KEY, "health_facility_id" int NOT NULL REFERENCES "tblHF" ("HfID"), "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"));
