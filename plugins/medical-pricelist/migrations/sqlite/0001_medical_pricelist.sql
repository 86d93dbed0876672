-- medical_pricelist's tables as the original keeps them; ServiceID/ItemID reference medical's
-- tblServices/tblItems, which exist only once that module is loaded (no constraint here).
CREATE TABLE IF NOT EXISTS "tblPLServices" (
  "PLServiceID" INTEGER PRIMARY KEY AUTOINCREMENT, "PLServiceUUID" varchar(36) NOT NULL UNIQUE, "PLServName" varchar(100) NOT NULL,
  "DatePL" date NOT NULL, "LocationId" int NULL REFERENCES "tblLocations" ("LocationId"),
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" int NULL,
  "AuditUserID" int NOT NULL, "RowID" blob NULL);
CREATE TABLE IF NOT EXISTS "tblPLServicesDetail" (
  "PLServiceDetailID" INTEGER PRIMARY KEY AUTOINCREMENT, "PLServiceID" int NOT NULL REFERENCES "tblPLServices" ("PLServiceID"),
  "ServiceID" int NOT NULL, "PriceOverule" decimal(18, 2) NULL,
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" int NULL,
  "AuditUserID" int NOT NULL, "RowID" blob NULL);
CREATE INDEX IF NOT EXISTS "tblPLServicesDetail_list" ON "tblPLServicesDetail" ("PLServiceID");
CREATE TABLE IF NOT EXISTS "tblPLItems" (
  "PLItemID" INTEGER PRIMARY KEY AUTOINCREMENT, "PLItemUUID" varchar(36) NOT NULL UNIQUE, "PLItemName" varchar(100) NOT NULL,
  "DatePL" date NOT NULL, "LocationId" int NULL REFERENCES "tblLocations" ("LocationId"),
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" int NULL,
  "AuditUserID" int NOT NULL, "RowID" blob NULL);
CREATE TABLE IF NOT EXISTS "tblPLItemsDetail" (
  "PLItemDetailID" INTEGER PRIMARY KEY AUTOINCREMENT, "PLItemID" int NOT NULL REFERENCES "tblPLItems" ("PLItemID"),
  "ItemID" int NOT NULL, "PriceOverule" decimal(18, 2) NULL,
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" int NULL,
  "AuditUserID" int NOT NULL, "RowID" blob NULL);
CREATE INDEX IF NOT EXISTS "tblPLItemsDetail_list" ON "tblPLItemsDetail" ("PLItemID");
