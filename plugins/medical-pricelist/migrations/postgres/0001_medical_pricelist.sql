-- medical_pricelist's tables as the original keeps them; ServiceID/ItemID reference medical's
-- tblServices/tblItems, which exist only once that module is loaded (no constraint here).
CREATE TABLE IF NOT EXISTS "tblPLServices" (
  "PLServiceID" serial PRIMARY KEY, "PLServiceUUID" varchar(36) NOT NULL UNIQUE, "PLServName" varchar(100) NOT NULL,
  "DatePL" date NOT NULL, "LocationId" int NULL REFERENCES "tblLocations" ("LocationId"),
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" int NULL,
  "AuditUserID" int NOT NULL, "RowID" bytea NULL);
CREATE TABLE IF NOT EXISTS "tblPLServicesDetail" (
  "PLServiceDetailID" serial PRIMARY KEY, "PLServiceID" int NOT NULL REFERENCES "tblPLServices" ("PLServiceID"),
  "ServiceID" int NOT NULL, "PriceOverule" decimal(18, 2) NULL,
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" int NULL,
  "AuditUserID" int NOT NULL, "RowID" bytea NULL);
CREATE INDEX IF NOT EXISTS "tblPLServicesDetail_list" ON "tblPLServicesDetail" ("PLServiceID");
CREATE TABLE IF NOT EXISTS "tblPLItems" (
  "PLItemID" serial PRIMARY KEY, "PLItemUUID" varchar(36) NOT NULL UNIQUE, "PLItemName" varchar(100) NOT NULL,
  "DatePL" date NOT NULL, "LocationId" int NULL REFERENCES "tblLocations" ("LocationId"),
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" int NULL,
  "AuditUserID" int NOT NULL, "RowID" bytea NULL);
CREATE TABLE IF NOT EXISTS "tblPLItemsDetail" (
  "PLItemDetailID" serial PRIMARY KEY, "PLItemID" int NOT NULL REFERENCES "tblPLItems" ("PLItemID"),
  "ItemID" int NOT NULL, "PriceOverule" decimal(18, 2) NULL,
  "ValidityFrom" timestamptz NOT NULL DEFAULT now(), "ValidityTo" timestamptz NULL, "LegacyID" int NULL,
  "AuditUserID" int NOT NULL, "RowID" bytea NULL);
CREATE INDEX IF NOT EXISTS "tblPLItemsDetail_list" ON "tblPLItemsDetail" ("PLItemID");
