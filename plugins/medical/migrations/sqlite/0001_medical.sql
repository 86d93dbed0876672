-- medical's tables under the original's names (SQLite types; PostgreSQL's file has the original's).
CREATE TABLE IF NOT EXISTS "tblICDCodes" (
  "ICDID" INTEGER PRIMARY KEY AUTOINCREMENT, "ICDCode" varchar(255) NOT NULL, "ICDName" varchar(255) NOT NULL,
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" int NULL,
  "AuditUserID" int NOT NULL, "RowID" blob NULL);
CREATE TABLE IF NOT EXISTS "tblItems" (
  "ItemID" INTEGER PRIMARY KEY AUTOINCREMENT, "ItemUUID" varchar(36) NOT NULL UNIQUE, "LegacyID" int NULL, "Quantity" decimal(18, 2) NULL,
  "ItemCode" varchar(6) NOT NULL, "ItemName" varchar(100) NOT NULL, "ItemType" varchar(1) NOT NULL,
  "ItemPackage" varchar(255) NULL, "ItemPrice" decimal(18, 2) NOT NULL, "ItemCareType" varchar(1) NOT NULL,
  "ItemFrequency" smallint NULL, "ItemPatCat" smallint NOT NULL,
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL,
  "AuditUserID" int NOT NULL, "RowID" blob NULL, "MaximumAmount" decimal(18, 2) NULL);
CREATE TABLE IF NOT EXISTS "tblServices" (
  "ServiceID" INTEGER PRIMARY KEY AUTOINCREMENT, "ServiceUUID" varchar(36) NOT NULL UNIQUE, "LegacyID" int NULL,
  "ServCategory" varchar(1) NULL, "ServCode" varchar(6) NOT NULL, "ServName" varchar(100) NOT NULL,
  "ServType" varchar(1) NOT NULL, "ServLevel" varchar(1) NOT NULL, "ServPrice" decimal(18, 2) NOT NULL,
  "ServCareType" varchar(1) NOT NULL, "ServFrequency" smallint NULL, "ServPatCat" smallint NOT NULL DEFAULT 15,
  "ValidityFrom" datetime NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "AuditUserID" int NULL,
  "RowID" blob NULL, "MaximumAmount" decimal(18, 2) NULL, "manualPrice" boolean NOT NULL DEFAULT 0,
  "ServPackageType" varchar(1) NOT NULL DEFAULT 'S');
CREATE TABLE IF NOT EXISTS "tblServiceContainedPackage" (
  "idSCP" INTEGER PRIMARY KEY AUTOINCREMENT, "qty" int NULL, "created_date" datetime NULL,
  "price" decimal(18, 2) NULL, "ServiceId" int NOT NULL REFERENCES "tblServices" ("ServiceID"),
  "ServiceLinked" int NOT NULL REFERENCES "tblServices" ("ServiceID"), "status" boolean NOT NULL);
CREATE INDEX IF NOT EXISTS "tblServiceContainedPackage_linked" ON "tblServiceContainedPackage" ("ServiceLinked");
CREATE TABLE IF NOT EXISTS "tblProductContainedPackage" (
  "idPCP" INTEGER PRIMARY KEY AUTOINCREMENT, "qty" int NULL, "created_date" datetime NULL,
  "price" decimal(18, 2) NULL, "ItemID" int NOT NULL REFERENCES "tblItems" ("ItemID"),
  "ServiceID" int NOT NULL REFERENCES "tblServices" ("ServiceID"), "status" boolean NOT NULL);
CREATE INDEX IF NOT EXISTS "tblProductContainedPackage_service" ON "tblProductContainedPackage" ("ServiceID");
CREATE TABLE IF NOT EXISTS "medical_ItemMutation" (
  "id" varchar(36) PRIMARY KEY, "item_id" int NOT NULL REFERENCES "tblItems" ("ItemID"),
  "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"));
CREATE TABLE IF NOT EXISTS "medical_ServiceMutation" (
  "id" varchar(36) PRIMARY KEY, "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"),
  "service_id" int NOT NULL REFERENCES "tblServices" ("ServiceID"));
